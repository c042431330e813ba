"""The tokens a match checks: fewer than a query has, never finding anything else."""

import pytest

from lab.words import OPENERS, SENTENCES, SPOTS, TOPICS
from search.tokens import query_tokens, required, tokens, whole

TEXTS = [*SPOTS, *OPENERS, *SENTENCES, *(t for names, _ in TOPICS.values() for t in names)] + [
    "中华人民共和国",
    "宽窄巷子的火锅",
    "武康路咖啡店探店",
    "Sourdough starter",
    "iPhone 评测",
]
# A word inside another that search mode does not cut out of it must still be checked.
QUERIES = [*TEXTS, "phone iphone", "dough sourdough"]


@pytest.mark.parametrize("text", QUERIES)
def test_a_post_holding_a_querys_required_tokens_holds_all_of_them(text):
    """A post's tokens include every token the dropped ones were implied by, so checking
    only the required ones finds exactly the same posts (docs/search.md)."""
    query = query_tokens(text)
    for post_text in TEXTS:
        post = set(tokens(post_text))
        if all(t in post for t in required(query)):
            assert all(t in post for t in query), (text, post_text)


def test_the_words_inside_a_long_word_are_not_checked_again():
    assert required(query_tokens("宽窄巷子")) == ["宽窄巷子"]
    assert required(query_tokens("中华人民共和国 火锅")) == ["中华人民共和国", "火锅"]
    assert required(query_tokens("露营 装备")) == ["露营", "装备"]


@pytest.mark.parametrize("text", TEXTS)
def test_a_post_holding_a_word_that_starts_with_a_whole_word_holds_the_whole_word(text):
    """So a query's last word, when whole, is matched exactly and finds what a prefix
    match would (docs/search.md)."""
    post = set(tokens(text))
    for token in post:
        for end in range(1, len(token)):
            if whole(token[:end]):
                assert token[:end] in post, (text, token)


def test_a_fragment_or_a_single_character_is_not_whole():
    assert whole("火锅") and whole("三里屯")
    assert not whole("攻") and not whole("sourd") and not whole("中华人民共和国")

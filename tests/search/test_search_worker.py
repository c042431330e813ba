"""Search's beat tasks through a real Celery worker process, as beat would run them."""

import pytest

from content.models import Post
from search.models import SearchDocument
from search.ranking import KEY_SHIFT
from search.tasks import retier_search
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_post_people_keep_saving_moves_up_the_index_when_the_worker_resorts_it(celery_worker_process, note):
    post = note("露营装备清单", "帐篷、睡袋、防潮垫")

    def tier() -> int:
        return SearchDocument.objects.get(pk=post.pk).rank_key >> KEY_SHIFT

    before = tier()
    Post.objects.filter(pk=post.pk).update(view_count=1000, like_count=500, favourite_count=200)
    assert tier() == before  # counters move without a save: the index waits for the task
    retier_search.delay()
    wait_for(lambda: tier() > before, timeout=30)
    assert celery_worker_process.poll() is None

"""Template filters for comments: ``{{ comment|with_mentions }}`` links the @mentions that name someone."""

from django import template

from content.mentions import mentions_render

register = template.Library()


@register.filter
def with_mentions(comment):
    """Return the comment's body, escaped, with its known @mentions as profile links."""
    return mentions_render(comment.body, comment.mentions)

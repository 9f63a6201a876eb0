"""E-mail subjects: the structure's name stays whole, the experience's title is what gets shortened."""

from django import template
from django.utils.text import Truncator

register = template.Library()

# Mail clients show about the first 80 characters of a subject. The structure's name is what tells
# an agent which of their structures it is about (and the author which service answered), so it is
# never cut; the title takes the room it leaves, down to a length that still reads as a title.
NAMES_LENGTH = 80
TITLE_MIN_LENGTH = 30


@register.filter
def subject_title(title: str, structure_name: str) -> str:
    """The title, shortened with « … » so that it and the structure's name fit in NAMES_LENGTH characters."""
    return Truncator(title).chars(max(TITLE_MIN_LENGTH, NAMES_LENGTH - len(structure_name)))

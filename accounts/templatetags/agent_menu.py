"""What the agents' menu offers to whom: read in the header, so only agent pages pay for it."""

from django import template

from structures.permissions import may_import_results

register = template.Library()


@register.filter
def imports_results(user) -> bool:
    return may_import_results(user)

"""What the agents' menu offers to whom: read in the header, so only agent pages pay for it."""

from django import template

from structures.permissions import may_import_results, may_manage_members

register = template.Library()


@register.filter
def imports_results(user) -> bool:
    return may_import_results(user)


@register.filter
def manages_members(user) -> bool:
    return may_manage_members(user)

"""The experiences linked to an improvement action, on the actions' admin page.

The link is the experiences' side (actions import no experience), so this module puts it on the page
actions.admin registers, as the list of experiences the page had when the action held the relation.
"""

from django.contrib import admin

from actions.admin import ImprovementActionAdmin
from actions.models import ImprovementAction
from common.admin import TabularInline

from ..models import ImprovementActionLink


class ImprovementActionLinkInline(TabularInline):
    model = ImprovementActionLink
    fk_name = "improvementaction"
    autocomplete_fields = ("experience",)
    extra = 0
    verbose_name = "expérience liée"
    verbose_name_plural = "expériences liées"


admin.site.unregister(ImprovementAction)


@admin.register(ImprovementAction)
class LinkedImprovementActionAdmin(ImprovementActionAdmin):
    inlines = [*ImprovementActionAdmin.inlines, ImprovementActionLinkInline]

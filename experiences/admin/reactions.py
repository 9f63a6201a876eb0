"""What citizens say back: visitors' and authors' verdicts on an answer, and « moi aussi »."""

from django.contrib import admin

from ..models import AuthorEvaluation, MeToo, ResponseVote
from .base import BigTableAdmin


class ResponseVerdictAdmin(BigTableAdmin):
    """Shared list of the visitors' and the authors' verdicts on a response."""

    feminine = True
    list_display = ("response", "is_useful", "created_at")
    list_select_related = ("response__assignment__experience", "response__assignment__structure")
    list_filter = ("is_useful", ("created_at", admin.DateFieldListFilter))
    raw_id_fields = ("response",)
    readonly_fields = ("created_at",)
    public_id_lookup = "response__assignment__experience__public_id"


@admin.register(ResponseVote)
class ResponseVoteAdmin(ResponseVerdictAdmin):
    pass


@admin.register(AuthorEvaluation)
class AuthorEvaluationAdmin(ResponseVerdictAdmin):
    pass


@admin.register(MeToo)
class MeTooAdmin(BigTableAdmin):
    list_display = ("experience", "created_at")
    list_select_related = ("experience",)
    list_filter = (("created_at", admin.DateFieldListFilter),)
    autocomplete_fields = ("experience",)
    readonly_fields = ("created_at",)

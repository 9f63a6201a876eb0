"""The DITP's admin of diagnostics: questionnaire versions (frozen once used, copied to change) and
diagnostics, read-only with their answers and results."""

from django.contrib import admin, messages
from django.shortcuts import redirect

from common.admin import ProjectAdminMixin, TabularInline
from common.exceptions import Refused
from diagnostics import services
from diagnostics.models import Answer, CommitmentNote, Diagnostic, Question, QuestionnaireVersion


class QuestionInline(TabularInline):
    model = Question
    extra = 0
    fields = ("commitment", "order", "key", "text", "help_text", "concerns_network")

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.is_frozen

    def has_add_permission(self, request, obj=None) -> bool:
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    list_display = ("number", "title", "is_published", "created_at", "used")
    list_filter = ("is_published",)
    inlines = [QuestionInline]
    actions = ["copy_to_new_version"]

    @admin.display(description="utilisée", boolean=True)
    def used(self, obj) -> bool:
        return obj.is_frozen

    def get_readonly_fields(self, request, obj=None):
        # A frozen version may still be published or withdrawn, never reworded.
        return ("number", "title", "created_at") if obj is not None and obj.is_frozen else ("created_at",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or not obj.is_frozen) and super().has_delete_permission(request, obj)

    @admin.action(description="Copier dans une nouvelle version (modifiable, non publiée)", permissions=["add"])
    def copy_to_new_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choisissez une seule version à copier.", messages.ERROR)
            return None
        try:
            copy = services.copy_version(version=queryset.get(), by=request.user)
        except Refused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return None
        self.message_user(request, f"{copy} créée : modifiez ses questions puis publiez-la.")
        return redirect("admin:diagnostics_questionnaireversion_change", copy.pk)


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("question", "value")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


class CommitmentNoteInline(ReadOnlyInline):
    model = CommitmentNote
    fields = ("commitment", "text")
    readonly_fields = fields


@admin.register(Diagnostic)
class DiagnosticAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ("structure", "status", "completed_at", "version", "created_at")
    list_filter = ("status", "version")
    list_select_related = ("structure", "version")
    search_fields = ("structure__code", "structure__name")
    date_hierarchy = "completed_at"
    inlines = [CommitmentNoteInline, AnswerInline]
    readonly_fields = (
        "structure",
        "version",
        "status",
        "started_by",
        "completed_by",
        "created_at",
        "updated_at",
        "completed_at",
        "current_commitment",
        "results",
        "results_computed_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

"""What the citizens' public forms share: a honeypot, a « search first » submit that judges nothing yet, and
the summary of errors at the top of the page."""

from django.forms.utils import ErrorDict


class PublicFormMixin:
    """Mixed into a django Form whose template has a `website` honeypot field and an error summary."""

    @property
    def is_bot(self) -> bool:
        # Hidden from people and assistive technologies: only robots fill it.
        return bool(self.data.get("website", "").strip())

    def hide_errors(self) -> None:
        """Re-render what was typed without judging it yet (a « search in my text » button)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) of every error, in the page's order, for the summary at the top."""
        return [(f"id_{name}", message) for name in self.fields if name in self.errors for message in self.errors[name]]

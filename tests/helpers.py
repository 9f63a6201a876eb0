"""Small assertions shared by the test modules."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.forms import MultiWidget


@contextmanager
def refused_by_database(constraint: str = "", errors=IntegrityError):
    """The database itself refuses the write; the savepoint keeps the test's transaction usable.

    `constraint` is checked against the message for check constraints, whose name both SQLite and
    PostgreSQL report (SQLite names the columns, not the constraint, for unique violations).
    """
    with pytest.raises(errors) as refusal, transaction.atomic():
        yield
    assert constraint in str(refusal.value)


def admin_form_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, inlines included, unchanged."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
        forms.extend(inline.formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, MultiWidget):
                for index, part in enumerate(field.field.widget.decompress(value)):
                    data[f"{field.html_name}_{index}"] = "" if part is None else str(part)
            elif value is True:
                data[field.html_name] = "on"
            elif value not in (None, False):
                data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data

"""Small assertions shared by the test modules."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction


@contextmanager
def refused_by_database(constraint: str = "", errors=IntegrityError):
    """The database itself refuses the write; the savepoint keeps the test's transaction usable.

    `constraint` is checked against the message for check constraints, whose name both SQLite and
    PostgreSQL report (SQLite names the columns, not the constraint, for unique violations).
    """
    with pytest.raises(errors) as refusal, transaction.atomic():
        yield
    assert constraint in str(refusal.value)

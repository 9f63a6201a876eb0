"""Search on SQLite, the `make run` default, checked from any suite: a child pytest on an SQLite database.

CI runs the suite on PostgreSQL; the child runs test_search.py (the behaviour both backends share)
and sqlite_search_cases.py (the FTS5 index itself) with DATABASE_URL=sqlite:///…"""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest
from django.conf import settings

from experiences import sqlite_search
from tests.experiences import sqlite_search_cases, test_search

CHILD_MODULES = (test_search, sqlite_search_cases)


@pytest.fixture(scope="module")
def sqlite_outcomes(tmp_path_factory) -> dict[str, set[str]]:
    """Each test function of the child run → the outcomes of its cases (passed, skipped, failed)."""
    folder = tmp_path_factory.mktemp("sqlite-search")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"}
    env.pop("REDIS_URL", None)  # the `make run` default: local memory cache, eager Celery
    report = folder / "report.xml"
    modules = [module.__file__ for module in CHILD_MODULES]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *modules]
    child = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert child.returncode == 0, child.stdout[-6000:] + child.stderr[-2000:]
    outcomes: dict[str, set[str]] = {}
    for case in ElementTree.parse(report).iter("testcase"):
        function = f"{case.get('classname')}.{case.get('name').split('[')[0]}"
        result = next((child.tag for child in case if child.tag in {"skipped", "failure", "error"}), "passed")
        outcomes.setdefault(function, set()).add(result)
    return outcomes


def functions_of(module) -> list[str]:
    return [f"{module.__name__}.{name}" for name in vars(module) if name.startswith("test_")]


def is_postgres_only(function: str) -> bool:
    module, name = function.rsplit(".", 1)
    marks = getattr(vars(sys.modules[module])[name], "pytestmark", [])
    return any(mark.name == "postgres" for mark in marks)


@pytest.mark.parametrize("module", CHILD_MODULES, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_search_tests_pass_on_sqlite(sqlite_outcomes, module):
    expected = [function for function in functions_of(module) if not is_postgres_only(function)]

    assert expected
    assert {function: sqlite_outcomes.get(function) for function in expected} == dict.fromkeys(expected, {"passed"})


HOSTILE = [
    '"',
    '""',
    "*",
    "-",
    "(",
    ")",
    "^",
    ":",
    "AND",
    "OR",
    "NOT",
    "NEAR(a b",
    'a" OR "b',
    "title:x",
    "x*y",
    "{a b}",
]
# What parse() may write: quoted letters and digits, a prefix star, phrase joins, groups, AND, OR, NOT.
SAFE_EXPRESSION = re.compile(r'(?:"[^\W_]+"\*?| \+ | AND | OR | NOT |[()])*')


@pytest.mark.parametrize("typed", HOSTILE)
def test_typed_query_syntax_never_reaches_fts5_unquoted(typed):
    query = sqlite_search.parse(typed)

    assert SAFE_EXPRESSION.fullmatch(query.required)
    assert SAFE_EXPRESSION.fullmatch(query.excluded)


@pytest.mark.parametrize(
    ("typed", "required", "excluded"),
    [
        ("Impôts", '("impot"*)', ""),
        ("le titre du séjour", '("titr"*) AND ("sejour"*)', ""),
        ('"carte de séjour"', '("cart"* + "de" + "sejour"*)', ""),
        ("l'impôt", '("impot"*)', ""),
        ("journaux or CAF", '("journa"* OR "caf")', ""),
        ("carte -vitale", '("cart"*)', '"vital"*'),
        ("le du", "", ""),
    ],
)
def test_parse_writes_the_fts5_expression(typed, required, excluded):
    assert sqlite_search.parse(typed) == sqlite_search.IndexQuery(required=required, excluded=excluded)

"""Shared fixtures: Celery runs eagerly in tests unless a test starts a real worker."""

import pytest
from django.conf import settings as django_settings
from django.db import connection

from spplus.celery import app as celery_app


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL features; on SQLite they are skipped and say why."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="PostgreSQL requis (DATABASE_URL) : ignoré sur SQLite")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    # PBKDF2's 1 M iterations cost ~0.3 s per user created; tests need no strong hash.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def structure_tree(db):
    """A small tree: root → (mine → child, sibling); and a root of another network."""
    from tests.factories import StructureFactory

    root = StructureFactory(name="Direction nationale")
    mine = StructureFactory(parent=root, name="Direction départementale")
    child = StructureFactory(parent=mine, name="Antenne locale")
    sibling = StructureFactory(parent=root, name="Direction voisine")
    foreign = StructureFactory(name="Réseau étranger")
    tree = {"root": root, "mine": mine, "child": child, "sibling": sibling, "foreign": foreign}
    # Each insert renumbers the tree bounds of rows loaded before it: hand out fresh ones.
    for structure in tree.values():
        structure.refresh_from_db()
    return tree


def _member(structure, role):
    from tests.factories import MembershipFactory

    return MembershipFactory(structure=structure, role=role).user


@pytest.fixture
def agent(structure_tree):
    from structures.models import Role

    return _member(structure_tree["mine"], Role.AGENT)


@pytest.fixture
def super_agent(structure_tree):
    from structures.models import Role

    return _member(structure_tree["mine"], Role.SUPER_AGENT)


@pytest.fixture
def sibling_agent(structure_tree):
    from structures.models import Role

    return _member(structure_tree["sibling"], Role.AGENT)


@pytest.fixture
def moderator(db):
    from tests.factories import ModeratorFactory

    return ModeratorFactory()


@pytest.fixture
def superuser(db):
    from accounts.models import User

    return User.objects.create_superuser("admin@example.gouv.fr", "mot-de-passe-admin-2026")

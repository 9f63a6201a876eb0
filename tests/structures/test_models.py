"""Invariants of networks, typologies, structures and memberships, enforced by the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError
from django.db.models import F

from structures.models import Membership, Role, Structure
from tests.factories import (
    BusinessTagFactory,
    MembershipFactory,
    NetworkFactory,
    StructureFactory,
    TypologyFactory,
    UserFactory,
)
from tests.helpers import refused_by_database

pytestmark = pytest.mark.django_db


# --- structure codes (seed 000: « code alphanumérique de moins de 10 caractères ») ---------------


@pytest.mark.parametrize("code", ["3Tn8gzTdcz", "STR-906", "A", "0123456789"])
def test_structure_code_accepts_letters_digits_and_hyphens(code):
    structure = StructureFactory(code=code)

    structure.full_clean()
    assert Structure.objects.filter(code=code).exists()


@pytest.mark.parametrize("code", ["a b", "", "STR_906", "Caf\u00e9", "STR-906\n", "\nSTR-906"])
def test_structure_code_format_is_enforced_by_the_database(code):
    with refused_by_database("structure_code_format"):
        StructureFactory(code=code)


def test_structure_code_longer_than_10_is_refused_by_the_database():
    # PostgreSQL's varchar(10) refuses it (DataError) before the check constraint does on SQLite.
    with refused_by_database(errors=(IntegrityError, DataError)):
        StructureFactory(code="trop-long-code")


@pytest.mark.parametrize("code", ["trop-long-code", "a b", "", "STR_906", "STR-906\n"])
def test_structure_code_format_is_refused_by_full_clean(code):
    structure = StructureFactory.build(code=code, network=NetworkFactory(), typology=None)

    with pytest.raises(ValidationError) as refusal:
        structure.full_clean()
    assert "code" in refusal.value.error_dict


def test_structure_code_is_unique():
    StructureFactory(code="STR-906")

    with refused_by_database():
        StructureFactory(code="STR-906")


def test_structure_cannot_be_its_own_parent():
    structure = StructureFactory()

    with refused_by_database("structure_not_own_parent"):
        Structure.objects.filter(pk=structure.pk).update(parent=F("pk"))


def test_structure_joins_its_parent_network_tree(structure_tree):
    child = Structure.objects.get(pk=structure_tree["child"].pk)

    assert [s.pk for s in child.get_ancestors()] == [structure_tree["root"].pk, structure_tree["mine"].pk]
    assert child.network_id == structure_tree["root"].network_id


# --- typologies (seed 000: « code alphanumérique à 10 caractères »; the real file adds TYP-17) ----


@pytest.mark.parametrize("code", ["3Tn8gzTdcz", "TYP-17"])
def test_typology_code_of_the_real_referential_is_accepted(code):
    typology = TypologyFactory(code=code)

    typology.full_clean()


@pytest.mark.parametrize("code", ["Typo 00001", "", "Typo00001\n", "TYP_17"])
def test_typology_code_must_be_letters_digits_or_hyphens(code):
    with refused_by_database("typology_code_format"):
        TypologyFactory(code=code)


@pytest.mark.parametrize("code", ["Typo 00001", "TYP_17", "Typo0000001", "Typo000001\n"])
def test_typology_code_format_is_refused_by_full_clean(code):
    typology = TypologyFactory.build(code=code, network=NetworkFactory())

    with pytest.raises(ValidationError) as refusal:
        typology.full_clean()
    assert "code" in refusal.value.error_dict


def test_typology_code_longer_than_10_is_refused_by_the_database():
    with refused_by_database(errors=(IntegrityError, DataError)):
        TypologyFactory(code="Typo0000001")


def test_typology_code_is_unique():
    TypologyFactory(code="3Tn8gzTdcz")

    with refused_by_database():
        TypologyFactory(code="3Tn8gzTdcz")


# --- business tags -------------------------------------------------------------------------------


def test_business_tag_name_is_unique_per_network():
    tag = BusinessTagFactory(name="Titres de séjour")

    with refused_by_database():
        BusinessTagFactory(network=tag.network, name="Titres de séjour")


def test_business_tag_name_may_repeat_in_another_network():
    BusinessTagFactory(name="Titres de séjour")

    BusinessTagFactory(name="Titres de séjour")


# --- memberships ---------------------------------------------------------------------------------


def test_membership_is_unique_per_user_structure_and_role():
    membership = MembershipFactory(role=Role.AGENT)

    with refused_by_database():
        MembershipFactory(user=membership.user, structure=membership.structure, role=Role.AGENT)


def test_membership_role_outside_the_list_is_refused():
    with refused_by_database("membership_role_valid"):
        MembershipFactory(role="admin")


def test_user_may_hold_several_roles_on_a_structure():
    user, structure = UserFactory(), StructureFactory()
    for role in Role:
        MembershipFactory(user=user, structure=structure, role=role)

    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == set(Role.values)


def test_user_may_hold_the_same_role_on_several_structures():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.AGENT)
    MembershipFactory(user=user, role=Role.AGENT)

    assert user.memberships.count() == 2

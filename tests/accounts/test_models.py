"""Users log in with their e-mail, whatever its case; agents keep several formulas and signatures."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from accounts.models import User
from tests.factories import PolitenessFormulaFactory, SignatureFactory, UserFactory
from tests.helpers import refused_by_database

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-2026"


def sign_in_request():
    # django-axes, first of the authentication backends, authenticates nobody without the request.
    return RequestFactory().post("/agents/connexion/")


def test_user_can_log_in_with_email():
    user = User.objects.create_user("camille.martin@example.gouv.fr", PASSWORD)

    assert authenticate(sign_in_request(), email="camille.martin@example.gouv.fr", password=PASSWORD) == user


def test_user_can_log_in_with_email_in_the_login_form_username_field():
    # The admin and agents' login forms post the e-mail as `username`.
    user = User.objects.create_user("camille.martin@example.gouv.fr", PASSWORD)

    assert authenticate(sign_in_request(), username="camille.martin@example.gouv.fr", password=PASSWORD) == user


@pytest.mark.parametrize("typed", ["Camille.Martin@Example.gouv.fr", "CAMILLE.MARTIN@EXAMPLE.GOUV.FR"])
def test_user_can_log_in_whatever_the_case_of_the_email(typed):
    user = User.objects.create_user("camille.martin@example.gouv.fr", PASSWORD)

    assert authenticate(sign_in_request(), username=typed, password=PASSWORD) == user


def test_user_stored_with_capitals_can_log_in_with_lowercase_email():
    # Rows written without the manager (admin forms, imports) may keep the case they were typed in.
    user = UserFactory(email="Camille.Martin@Example.gouv.fr")

    assert authenticate(sign_in_request(), username="camille.martin@example.gouv.fr", password=PASSWORD) == user


def test_user_cannot_log_in_with_wrong_password():
    User.objects.create_user("camille.martin@example.gouv.fr", PASSWORD)

    assert authenticate(sign_in_request(), username="camille.martin@example.gouv.fr", password="pas-le-bon") is None


def test_inactive_user_cannot_log_in():
    User.objects.create_user("camille.martin@example.gouv.fr", PASSWORD, is_active=False)

    assert authenticate(sign_in_request(), username="camille.martin@example.gouv.fr", password=PASSWORD) is None


def test_email_is_unique_whatever_its_case():
    UserFactory(email="Camille.Martin@Example.gouv.fr")

    with refused_by_database():
        UserFactory(email="camille.martin@example.gouv.fr")


def test_create_user_stores_the_email_in_lowercase():
    user = User.objects.create_user("Camille.Martin@Example.GOUV.fr", PASSWORD)

    assert user.email == "camille.martin@example.gouv.fr"


def test_create_user_requires_an_email():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user("", PASSWORD)


def test_create_user_is_neither_staff_nor_superuser_nor_moderator():
    user = User.objects.create_user("camille.martin@example.gouv.fr", PASSWORD)

    assert (user.is_staff, user.is_superuser, user.is_moderator, user.is_active) == (False, False, False, True)


def test_create_superuser_is_active_staff_and_superuser():
    user = User.objects.create_superuser("Admin@Example.gouv.fr", PASSWORD)

    assert (user.is_staff, user.is_superuser, user.is_active) == (True, True, True)
    assert user.email == "admin@example.gouv.fr"
    assert authenticate(sign_in_request(), username="admin@example.gouv.fr", password=PASSWORD) == user


def test_user_keeps_several_formulas_in_their_order():
    user = UserFactory()
    later = PolitenessFormulaFactory(user=user, text="Bien cordialement,", position=2)
    first = PolitenessFormulaFactory(user=user, text="Cordialement,", position=1)

    assert list(user.formulas.all()) == [first, later]


def test_user_keeps_several_signatures_in_their_order():
    user = UserFactory()
    later = SignatureFactory(user=user, text="La direction", position=2)
    first = SignatureFactory(user=user, text="Le service d'accueil", position=1)

    assert list(user.signatures.all()) == [first, later]


def test_formulas_and_signatures_belong_to_their_user_only():
    user, other = UserFactory(), UserFactory()
    PolitenessFormulaFactory(user=other)
    SignatureFactory(user=other)

    assert not user.formulas.exists()
    assert not user.signatures.exists()

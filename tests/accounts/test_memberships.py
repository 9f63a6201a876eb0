"""Issue 18: referents manage the memberships of their network's structures from /agents/habilitations/ —
add an agent with a role (opening the account, with the first-login e-mail), remove one, within their scope
only (404 elsewhere), each change audited."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import User
from structures.models import Membership, MembershipChange, MembershipChangeKind, Role
from tests import factories as f
from tests.accounts.test_first_login import EXPIRED, _choose_password, _link, _signs_in, _welcome_emails

pytestmark = pytest.mark.django_db

LIST, ADD = "/agents/habilitations/", "/agents/habilitations/ajouter/"
EMAIL = "nouvel.agent@example.gouv.fr"
NEW_PASSWORD = "un-tout-nouveau-secret-2026"


@pytest.fixture
def referent(structure_tree):
    return f.MembershipFactory(structure=structure_tree["mine"], role=Role.REFERENT).user


def add(client, capture, structure, email=EMAIL, role=Role.AGENT, **extra):
    data = {"structure": structure.code, "email": email, "role": role, "first_name": "Inès", "last_name": "Garnier"}
    with capture(execute=True):
        return client.post(ADD, {**data, **extra})


def test_referent_opens_an_account_and_the_agent_sets_the_password_once(
    client, referent, structure_tree, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    response = add(client, django_capture_on_commit_callbacks, structure_tree["child"])

    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, structure=structure_tree["child"], role=Role.AGENT).exists()
    (message,) = _welcome_emails()
    assert message.to == [EMAIL] and "Bonjour Inès," in message.body
    (change,) = MembershipChange.objects.all()
    assert (change.kind, change.member, change.role, change.structure_code, change.changed_by) == (
        MembershipChangeKind.ADDED,
        user,
        Role.AGENT,
        structure_tree["child"].code,
        referent,
    )
    link = _link(message)
    assert "Votre mot de passe est enregistré" in _choose_password(link, NEW_PASSWORD)
    assert _signs_in(EMAIL, NEW_PASSWORD)
    assert EXPIRED in _choose_password(link, "encore-un-autre-secret-2026")


def test_the_referents_link_expires_after_24_hours(
    client, referent, structure_tree, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(referent)
        add(client, django_capture_on_commit_callbacks, structure_tree["mine"])
        link = _link(mail.outbox[0])
        clock.shift(datetime.timedelta(hours=24, minutes=1))
        assert EXPIRED in _choose_password(link, NEW_PASSWORD)
    assert not User.objects.get(email=EMAIL).has_usable_password()


def test_an_existing_account_gets_the_role_without_a_new_email(
    client, referent, structure_tree, django_capture_on_commit_callbacks
):
    existing = f.UserFactory(email="deja.la@example.gouv.fr")
    client.force_login(referent)
    add(client, django_capture_on_commit_callbacks, structure_tree["mine"], email="DEJA.LA@example.gouv.fr")
    assert Membership.objects.filter(user=existing, structure=structure_tree["mine"]).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("place", ["root", "sibling", "foreign"])
def test_referent_cannot_add_to_a_structure_out_of_scope(
    client, referent, structure_tree, place, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    response = add(client, django_capture_on_commit_callbacks, structure_tree[place])
    assert response.status_code == 200
    assert "Aucune structure de ce code dans votre périmètre." in response.content.decode()
    assert not User.objects.filter(email=EMAIL).exists() and not MembershipChange.objects.exists()


def test_the_same_role_twice_is_refused(client, referent, structure_tree, django_capture_on_commit_callbacks):
    client.force_login(referent)
    add(client, django_capture_on_commit_callbacks, structure_tree["mine"])
    response = add(client, django_capture_on_commit_callbacks, structure_tree["mine"])
    assert "Cette personne a déjà ce rôle sur cette structure." in response.content.decode()
    assert MembershipChange.objects.count() == 1


def test_a_moderators_account_cannot_be_attached_by_a_referent(
    client, referent, structure_tree, moderator, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    response = add(client, django_capture_on_commit_callbacks, structure_tree["mine"], email=moderator.email)
    assert "seule la DITP peut le modifier" in response.content.decode()
    assert not Membership.objects.filter(user=moderator).exists()


def test_missing_fields_get_french_messages(client, referent):
    client.force_login(referent)
    page = client.post(ADD, {}).content.decode()
    assert "Saisissez le code SP+ de la structure." in page
    assert "Saisissez l&#x27;adresse e-mail de l&#x27;agent." in page


def test_referent_removes_a_membership_after_confirming(client, referent, structure_tree):
    membership = f.MembershipFactory(structure=structure_tree["child"], role=Role.SUPER_AGENT)
    client.force_login(referent)
    url = f"{LIST}{membership.pk}/retirer/"
    assert "Retirer l'habilitation" in client.get(url).content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()

    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    (change,) = MembershipChange.objects.all()
    assert (change.kind, change.member_email, change.role) == (
        MembershipChangeKind.REMOVED,
        membership.user.email,
        Role.SUPER_AGENT,
    )
    assert membership.user.email in client.get(LIST).content.decode()  # in the history


def test_referent_cannot_remove_their_own_membership(client, referent):
    own = referent.memberships.get()
    client.force_login(referent)
    client.post(f"{LIST}{own.pk}/retirer/")
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("place", ["root", "sibling", "foreign"])
def test_membership_out_of_scope_is_404(client, referent, structure_tree, place):
    membership = f.MembershipFactory(structure=structure_tree[place])
    client.force_login(referent)
    assert client.get(f"{LIST}{membership.pk}/retirer/").status_code == 404
    assert client.post(f"{LIST}{membership.pk}/retirer/").status_code == 404
    assert client.post(f"{LIST}{membership.pk}/renvoyer-le-lien/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.REFERENT])
def test_other_roles_get_404_on_every_page(client, structure_tree, role):
    user = f.MembershipFactory(structure=structure_tree["mine"], role=role).user
    other = f.MembershipFactory(structure=structure_tree["child"])
    client.force_login(user)
    for url in (LIST, ADD, f"{LIST}{other.pk}/retirer/"):
        assert client.get(url).status_code == 404
    assert "Habilitations" not in client.get("/agents/ressources/").content.decode()


def test_moderator_manages_memberships_in_the_admin_not_here(client, moderator):
    client.force_login(moderator)
    assert client.get(LIST).status_code == 404


def test_list_shows_the_scope_only_with_pinned_queries(client, referent, structure_tree, django_assert_max_num_queries):
    for _ in range(10):
        f.MembershipFactory(structure=structure_tree["child"])
    outside = f.MembershipFactory(structure=structure_tree["sibling"])
    client.force_login(referent)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    shown = {m.pk for m in response.context["page_obj"].object_list}
    assert len(shown) == 11 and outside.pk not in shown


def test_referent_resends_the_link_to_an_unopened_account_only(
    client, referent, structure_tree, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    add(client, django_capture_on_commit_callbacks, structure_tree["mine"])
    waiting = Membership.objects.get(user__email=EMAIL)
    opened = f.MembershipFactory(structure=structure_tree["mine"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{LIST}{waiting.pk}/renvoyer-le-lien/")
        response = client.post(f"{LIST}{opened.pk}/renvoyer-le-lien/", follow=True)
    assert len(_welcome_emails()) == 2
    assert "Ce compte est déjà ouvert" in response.content.decode()

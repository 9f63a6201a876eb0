"""Improvement actions in the agents' back-office: scope, linked experiences' status, e-mails, pages."""

import datetime
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import selectors
from actions import services as action_services
from actions.models import ImprovementAction, ImprovementActionStatus
from experiences.models import Activity, ActivityVerb, ExperienceStatus, ModerationState, ResponseStatus
from experiences.services import actions as services
from structures.models import Role
from tests.factories import (
    AssignmentFactory,
    ExperienceFactory,
    ImprovementActionFactory,
    MembershipFactory,
    ModeratorFactory,
)

TODAY = datetime.date(2026, 3, 2)
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
MANAGERS = [Role.AGENT, Role.SUPER_AGENT, Role.REFERENT]
# A role on "mine" manages "mine" and its "child", never the "sibling" nor the "foreign" network.
IN_SCOPE = ["mine", "child"]
OUT_OF_SCOPE = ["sibling", "foreign"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False)


def user_with(role, tree):
    """A DITP moderator, or a member of "mine" with `role`."""
    if role == "moderator":
        return ModeratorFactory()
    return MembershipFactory(structure=tree["mine"], role=role).user


def routed_experience(structure, **kwargs):
    return AssignmentFactory(structure=structure, **kwargs).experience


def form_data(structure, **overrides):
    data = {
        "structure": structure.code,
        "title": "Horaires affichés à l'accueil",
        "description": "Les horaires sont affichés à l'entrée et sur le site internet.",
        "status": "engaged",
        "engaged_on": "2026-02-01",
        "done_on": "",
        "experiences": "",
    }
    return {**data, **overrides}


def edit_url(action):
    return reverse("agents:action_edit", kwargs={"pk": action.pk})


def publish_url(action):
    return reverse("agents:action_publish", kwargs={"pk": action.pk})


def text(response) -> str:
    """The page as a reader sees it: apostrophes in messages and errors are escaped in the HTML."""
    return html.unescape(response.content.decode())


def refreshed(experience):
    experience.refresh_from_db()
    return experience


# --- Who may do what, where ----------------------------------------------------------------------


@pytest.mark.parametrize("role", MANAGERS)
@pytest.mark.parametrize("target", IN_SCOPE)
def test_manager_can_create_action_for_own_or_descendant_structure(client, structure_tree, role, target):
    client.force_login(user_with(role, structure_tree))

    response = client.post(reverse("agents:action_create"), form_data(structure_tree[target]))

    action = ImprovementAction.objects.get()
    assert response.status_code == 302 and response.url == edit_url(action)
    assert action.structure == structure_tree[target]
    assert not action.is_public


@pytest.mark.parametrize("role", MANAGERS)
@pytest.mark.parametrize("target", OUT_OF_SCOPE)
def test_manager_cannot_create_action_for_structure_outside_scope(client, structure_tree, role, target):
    client.force_login(user_with(role, structure_tree))

    response = client.post(reverse("agents:action_create"), form_data(structure_tree[target]))

    assert response.status_code == 200
    assert f"Structure « {structure_tree[target].code} » introuvable dans votre périmètre." in text(response)
    assert not ImprovementAction.objects.exists()


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.SUPER_EVALUATOR, "moderator"])
@pytest.mark.parametrize("target", IN_SCOPE + OUT_OF_SCOPE)
def test_non_manager_cannot_create_action(client, structure_tree, role, target):
    client.force_login(user_with(role, structure_tree))

    response = client.post(reverse("agents:action_create"), form_data(structure_tree[target]))

    assert response.status_code == 200
    assert "Votre rôle vous permet de suivre les actions d'amélioration, pas d'en créer" in text(response)
    assert not ImprovementAction.objects.exists()


@pytest.mark.parametrize("role", MANAGERS)
@pytest.mark.parametrize("target", IN_SCOPE)
def test_manager_can_edit_action_of_own_or_descendant_structure(client, structure_tree, role, target):
    action = ImprovementActionFactory(structure=structure_tree[target])
    client.force_login(user_with(role, structure_tree))

    response = client.post(edit_url(action), form_data(structure_tree[target], title="Nouveau titre"))

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Nouveau titre"


@pytest.mark.parametrize("role", [*MANAGERS, Role.EVALUATOR])
@pytest.mark.parametrize("target", OUT_OF_SCOPE)
@pytest.mark.parametrize("method", ["get", "post"])
def test_member_cannot_open_action_outside_scope(client, structure_tree, role, target, method):
    action = ImprovementActionFactory(structure=structure_tree[target])
    client.force_login(user_with(role, structure_tree))

    data = form_data(structure_tree["mine"]) if method == "post" else None
    for url in (edit_url(action), publish_url(action)):
        assert getattr(client, method)(url, data).status_code == 404

    action.refresh_from_db()
    assert action.structure == structure_tree[target] and not action.is_public


@pytest.mark.parametrize("role", [Role.EVALUATOR, "moderator"])
@pytest.mark.parametrize("target", IN_SCOPE)
def test_non_manager_reads_action_but_cannot_edit_it(client, structure_tree, role, target):
    action = ImprovementActionFactory(structure=structure_tree[target], title="Titre d'origine")
    client.force_login(user_with(role, structure_tree))

    response = client.post(edit_url(action), form_data(structure_tree[target], title="Autre titre"), follow=True)

    assert response.status_code == 200
    assert "Votre rôle vous permet de consulter cette action, pas de la modifier." in text(response)
    assert '<form method="post" id="action-form"' not in text(response)
    action.refresh_from_db()
    assert action.title == "Titre d'origine"


def test_moderator_reads_action_of_any_structure(client, structure_tree, moderator):
    action = ImprovementActionFactory(structure=structure_tree["foreign"], title="Accueil sans rendez-vous")
    client.force_login(moderator)

    response = client.get(edit_url(action))

    assert response.status_code == 200
    assert "Accueil sans rendez-vous" in text(response) and "Publier l'action" not in text(response)


@pytest.mark.parametrize("role", MANAGERS)
@pytest.mark.parametrize("target", IN_SCOPE)
def test_manager_can_publish_action_of_own_or_descendant_structure(client, structure_tree, role, target):
    action = ImprovementActionFactory(structure=structure_tree[target])
    client.force_login(user_with(role, structure_tree))

    confirmation = client.get(publish_url(action))
    response = client.post(publish_url(action), follow=True)

    assert "Confirmer la publication" in text(confirmation)
    assert "L'action est publiée : elle est visible sur le site public." in text(response)
    action.refresh_from_db()
    assert action.is_public and action.published_at == timezone.now()


@pytest.mark.parametrize("role", [Role.EVALUATOR, "moderator"])
@pytest.mark.parametrize("target", IN_SCOPE)
def test_non_manager_cannot_publish_action(client, structure_tree, role, target):
    action = ImprovementActionFactory(structure=structure_tree[target])
    client.force_login(user_with(role, structure_tree))

    response = client.post(publish_url(action), follow=True)

    assert response.status_code == 200
    assert "Votre rôle ne vous permet pas de gérer les actions d'amélioration de cette structure." in text(response)
    action.refresh_from_db()
    assert not action.is_public


def test_agent_cannot_move_action_to_structure_outside_scope(client, structure_tree, agent):
    action = ImprovementActionFactory(structure=structure_tree["mine"])
    client.force_login(agent)

    response = client.post(edit_url(action), form_data(structure_tree["sibling"]))

    assert response.status_code == 200
    assert "introuvable dans votre périmètre" in text(response)
    action.refresh_from_db()
    assert action.structure == structure_tree["mine"]


def test_agent_cannot_open_another_structures_action_by_its_id(client, structure_tree, agent, sibling_agent):
    client.force_login(sibling_agent)
    client.post(reverse("agents:action_create"), form_data(structure_tree["sibling"]))
    theirs = ImprovementAction.objects.get()
    client.force_login(agent)

    assert client.get(edit_url(theirs)).status_code == 404
    assert client.get(publish_url(theirs)).status_code == 404
    assert client.post(publish_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_public


def test_visitor_is_sent_to_sign_in(client, structure_tree):
    response = client.get(reverse("agents:actions"))

    assert response.status_code == 302 and response.url.startswith(reverse("agents:login"))


def test_service_refuses_non_manager(structure_tree):
    evaluator = user_with(Role.EVALUATOR, structure_tree)

    with pytest.raises(action_services.ActionRefused, match="Votre rôle ne vous permet pas"):
        action_services.create_action(
            by=evaluator,
            structure=structure_tree["mine"],
            title="Titre",
            description="Description",
            status=ImprovementActionStatus.ENGAGED,
            engaged_on=TODAY,
        )


# --- The structure field ------------------------------------------------------------------------


def test_agent_chooses_structure_in_a_select_of_their_scope(client, structure_tree, agent):
    client.force_login(agent)

    response = client.get(reverse("agents:action_create"))

    field = response.context["form"]["structure"]
    assert field.widget_type == "select"
    assert [value for value, _ in field.field.widget.choices] == [
        "",
        structure_tree["child"].code,
        structure_tree["mine"].code,
    ]


def test_referent_on_large_scope_types_the_structure_code(client, structure_tree, monkeypatch):
    monkeypatch.setattr(selectors, "STRUCTURE_SELECT_MAX", 2)
    referent = MembershipFactory(structure=structure_tree["root"], role=Role.REFERENT).user
    client.force_login(referent)

    page = client.get(reverse("agents:action_create"))
    created = client.post(reverse("agents:action_create"), form_data(structure_tree["sibling"]))

    assert page.context["form"]["structure"].widget_type == "text"
    assert 'name="structure"' in text(page) and "Code SP+ de la structure" in text(page)
    assert created.status_code == 302
    assert ImprovementAction.objects.get().structure == structure_tree["sibling"]


# --- Prefilled from a diagnostic's weak point (seed 003) ---------------------------------------


def create_url(**query) -> str:
    return reverse("agents:action_create") + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def test_weak_point_link_fills_in_structure_and_commitment(client, structure_tree, agent):
    client.force_login(agent)

    form = client.get(create_url(structure=structure_tree["child"].pk, engagement=5)).context["form"]

    assert form["structure"].value() == structure_tree["child"].code
    assert form["commitment"].value() == 5


@pytest.mark.parametrize(("target", "engagement"), [("sibling", "12"), ("foreign", "abc"), ("mine", "0")])
def test_prefill_ignores_out_of_scope_structures_and_unknown_commitments(
    client, structure_tree, agent, target, engagement
):
    client.force_login(agent)

    form = client.get(create_url(structure=structure_tree[target].pk, engagement=engagement)).context["form"]

    expected = structure_tree["mine"].code if target == "mine" else None
    assert form["structure"].value() == expected
    assert form["commitment"].value() is None


def test_referent_typing_codes_gets_the_structure_prefilled_within_scope_only(client, structure_tree, monkeypatch):
    monkeypatch.setattr(selectors, "STRUCTURE_SELECT_MAX", 2)
    referent = MembershipFactory(structure=structure_tree["root"], role=Role.REFERENT).user
    client.force_login(referent)

    inside = client.get(create_url(structure=structure_tree["sibling"].pk, engagement=2)).context["form"]
    outside = client.get(create_url(structure=structure_tree["foreign"].pk)).context["form"]

    assert inside["structure"].value() == structure_tree["sibling"].code
    assert inside["commitment"].value() == 2
    assert outside["structure"].value() is None


def test_action_keeps_its_commitment_and_shows_it(client, structure_tree, agent):
    client.force_login(agent)

    client.post(reverse("agents:action_create"), form_data(structure_tree["mine"], commitment="5"))
    action = ImprovementAction.objects.get()
    client.post(edit_url(action), form_data(structure_tree["mine"], commitment=""))
    cleared = ImprovementAction.objects.get()

    assert action.commitment == 5
    assert cleared.commitment is None
    evaluator = MembershipFactory(structure=structure_tree["mine"], role=Role.EVALUATOR).user
    ImprovementAction.objects.filter(pk=action.pk).update(commitment=5)
    client.force_login(evaluator)
    assert "5. Réponse et information" in text(client.get(edit_url(action)))


# --- Dates --------------------------------------------------------------------------------------


def test_agent_cannot_mark_action_done_without_a_date(client, structure_tree, agent):
    client.force_login(agent)

    response = client.post(reverse("agents:action_create"), form_data(structure_tree["mine"], status="done"))

    assert response.status_code == 200
    assert "Indiquez la date à laquelle l'action a été réalisée." in text(response)
    assert 'id="error-summary"' in text(response) and 'href="#id_done_on"' in text(response)
    assert not ImprovementAction.objects.exists()


@pytest.mark.parametrize(
    ("status", "done_on", "message"),
    [
        ("done", "2026-01-15", "La date de réalisation ne peut pas précéder la date d'engagement."),
        ("done", "2026-03-10", "Une action ne peut pas avoir été réalisée à une date future."),
        ("engaged", "2026-02-15", "Une action engagée n'a pas encore de date de réalisation"),
    ],
)
def test_agent_cannot_save_inconsistent_dates(client, structure_tree, agent, status, done_on, message):
    client.force_login(agent)

    response = client.post(
        reverse("agents:action_create"), form_data(structure_tree["mine"], status=status, done_on=done_on)
    )

    assert message in text(response)
    assert not ImprovementAction.objects.exists()


def test_agent_can_mark_action_done(client, structure_tree, agent):
    action = ImprovementActionFactory(structure=structure_tree["mine"], engaged_on=datetime.date(2026, 2, 1))
    client.force_login(agent)

    client.post(edit_url(action), form_data(structure_tree["mine"], status="done", done_on="2026-02-20"))

    action.refresh_from_db()
    assert action.status == ImprovementActionStatus.DONE and action.done_on == datetime.date(2026, 2, 20)


# --- Linked experiences and their status --------------------------------------------------------


def test_linked_experience_becomes_action_engaged(client, structure_tree, agent):
    experience = routed_experience(structure_tree["child"])
    client.force_login(agent)

    client.post(
        reverse("agents:action_create"), form_data(structure_tree["mine"], experiences=f" {experience.public_id} ,")
    )

    action = ImprovementAction.objects.get()
    assert list(action.experiences.all()) == [experience]
    # The status is public: it follows the action once the action is published.
    assert refreshed(experience).status == ExperienceStatus.AWAITING
    client.post(reverse("agents:action_publish", args=[action.pk]))
    assert refreshed(experience).status == ExperienceStatus.ACTION_ENGAGED


def test_linked_experiences_become_action_done_when_action_is_done(client, structure_tree, agent):
    first, second = routed_experience(structure_tree["mine"]), routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(
        structure=structure_tree["mine"], engaged_on=datetime.date(2026, 2, 1), is_public=True, published_at=NOW
    )
    client.force_login(agent)
    ids = f"{first.public_id}, {second.public_id}"
    client.post(edit_url(action), form_data(structure_tree["mine"], experiences=ids))
    done = form_data(structure_tree["mine"], experiences=ids, status="done", done_on="2026-03-01")

    client.post(edit_url(action), done)

    assert refreshed(first).status == refreshed(second).status == ExperienceStatus.ACTION_DONE


def test_unlinked_experience_falls_back_to_its_answer(client, structure_tree, agent):
    answered = routed_experience(structure_tree["mine"], response_status=ResponseStatus.ANSWERED)
    awaiting = routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(structure=structure_tree["mine"], is_public=True, published_at=NOW)
    client.force_login(agent)
    linked = f"{answered.public_id} {awaiting.public_id}"
    client.post(edit_url(action), form_data(structure_tree["mine"], experiences=linked))
    assert refreshed(answered).status == refreshed(awaiting).status == ExperienceStatus.ACTION_ENGAGED

    client.post(edit_url(action), form_data(structure_tree["mine"], experiences=""))

    assert refreshed(answered).status == ExperienceStatus.ANSWERED
    assert refreshed(awaiting).status == ExperienceStatus.AWAITING
    assert not action.experiences.exists()


def test_experience_keeps_action_done_while_another_done_action_is_linked(structure_tree, agent):
    experience = routed_experience(structure_tree["mine"])
    done = ImprovementActionFactory(
        structure=structure_tree["mine"], status="done", done_on=TODAY, is_public=True, published_at=NOW
    )
    engaged = ImprovementActionFactory(structure=structure_tree["mine"], is_public=True, published_at=NOW)
    services.link_experience(action=done, experience=experience, by=agent)
    services.link_experience(action=engaged, experience=experience, by=agent)

    services.unlink_experience(action=engaged, experience=experience, by=agent)

    assert refreshed(experience).status == ExperienceStatus.ACTION_DONE


def test_link_is_recorded_in_the_experience_activity(structure_tree, agent):
    experience = routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(structure=structure_tree["mine"], title="Horaires affichés")

    services.link_experience(action=action, experience=experience, by=agent)

    (activity,) = Activity.objects.filter(experience=experience)
    assert (activity.verb, activity.detail, activity.actor) == (ActivityVerb.ACTION_LINKED, "Horaires affichés", agent)


def test_linking_twice_is_a_no_op(structure_tree, agent):
    experience = routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(structure=structure_tree["mine"])

    assert services.link_experience(action=action, experience=experience, by=agent) is True
    assert services.link_experience(action=action, experience=experience, by=agent) is False
    assert services.unlink_experience(action=action, experience=experience, by=agent) is True
    assert services.unlink_experience(action=action, experience=experience, by=agent) is False


@pytest.mark.parametrize(
    "make_experience",
    [
        pytest.param(lambda tree: routed_experience(tree["sibling"]), id="routed-to-sibling"),
        pytest.param(lambda tree: routed_experience(tree["foreign"]), id="routed-to-foreign"),
        pytest.param(
            lambda tree: routed_experience(tree["mine"], experience__moderation_state=ModerationState.SUBMITTED),
            id="not-published",
        ),
        pytest.param(lambda tree: ExperienceFactory(), id="routed-nowhere"),
    ],
)
def test_agent_cannot_link_experience_outside_scope(client, structure_tree, agent, make_experience):
    experience = make_experience(structure_tree)
    client.force_login(agent)

    response = client.post(
        reverse("agents:action_create"),
        form_data(structure_tree["mine"], experiences=f"{experience.public_id}, 999999"),
    )

    ids = ", ".join(str(public_id) for public_id in sorted([experience.public_id, 999999]))
    assert f"Expériences {ids} introuvable dans vos expériences." in text(response)
    assert not ImprovementAction.objects.exists()
    assert refreshed(experience).status == ExperienceStatus.AWAITING


def test_unknown_and_forbidden_experience_ids_read_the_same(client, structure_tree, agent):
    foreign = routed_experience(structure_tree["foreign"])
    client.force_login(agent)
    url = reverse("agents:action_create")

    unknown = client.post(url, form_data(structure_tree["mine"], experiences="999999"))
    forbidden = client.post(url, form_data(structure_tree["mine"], experiences=str(foreign.public_id)))

    assert "Expérience 999999 introuvable dans vos expériences." in text(unknown)
    assert f"Expérience {foreign.public_id} introuvable dans vos expériences." in text(forbidden)


def test_agent_is_told_malformed_experience_ids(client, structure_tree, agent):
    client.force_login(agent)

    response = client.post(reverse("agents:action_create"), form_data(structure_tree["mine"], experiences="12ab, 42"))

    assert "« 12ab, 42 » : un identifiant d'expérience compte 6 ou 7 chiffres." in text(response)


def test_service_refuses_experience_outside_scope(structure_tree, agent):
    action = ImprovementActionFactory(structure=structure_tree["mine"])
    experience = routed_experience(structure_tree["sibling"])

    with pytest.raises(services.ActionRefused, match="introuvable dans vos expériences"):
        services.link_experience(action=action, experience=experience, by=agent)
    assert not action.experiences.exists()


def test_agent_keeps_links_made_by_someone_with_a_wider_scope(client, structure_tree, agent):
    referent = MembershipFactory(structure=structure_tree["root"], role=Role.REFERENT).user
    theirs = routed_experience(structure_tree["sibling"])
    mine = routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(structure=structure_tree["mine"])
    services.link_experience(action=action, experience=theirs, by=referent)
    client.force_login(agent)

    response = client.post(
        edit_url(action), form_data(structure_tree["mine"], experiences=f"{theirs.public_id}, {mine.public_id}")
    )

    assert response.status_code == 302
    assert set(action.experiences.all()) == {theirs, mine}


# --- E-mails to the authors ---------------------------------------------------------------------


def test_author_is_told_when_experience_is_linked_to_public_action(
    client, structure_tree, agent, django_capture_on_commit_callbacks
):
    experience = routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(structure=structure_tree["mine"], is_public=True, published_at=timezone.now())
    client.force_login(agent)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(action), form_data(structure_tree["mine"], experiences=str(experience.public_id)))

    (email,) = mail.outbox
    assert email.to == [experience.author_email]
    assert email.subject == "Une action d'amélioration fait suite à votre expérience"


def test_author_is_not_told_of_an_unpublished_action(structure_tree, agent, django_capture_on_commit_callbacks):
    experience = routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(structure=structure_tree["mine"])

    with django_capture_on_commit_callbacks(execute=True):
        services.link_experience(action=action, experience=experience, by=agent)

    assert mail.outbox == []


def test_authors_are_told_when_action_with_links_is_published(
    client, structure_tree, agent, django_capture_on_commit_callbacks
):
    first, second = routed_experience(structure_tree["mine"]), routed_experience(structure_tree["child"])
    action = ImprovementActionFactory(structure=structure_tree["mine"])
    for experience in (first, second):
        services.link_experience(action=action, experience=experience, by=agent)
    client.force_login(agent)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish_url(action))

    assert sorted(email.to[0] for email in mail.outbox) == sorted([first.author_email, second.author_email])


def test_authors_are_never_told_twice(client, structure_tree, agent, django_capture_on_commit_callbacks):
    experience = routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(structure=structure_tree["mine"])
    services.link_experience(action=action, experience=experience, by=agent)
    client.force_login(agent)
    ids = str(experience.public_id)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish_url(action))
        client.post(publish_url(action))  # a double click
        client.post(edit_url(action), form_data(structure_tree["mine"], experiences=""))
        client.post(edit_url(action), form_data(structure_tree["mine"], experiences=ids))

    assert len(mail.outbox) == 1


def test_second_publication_is_a_no_op(client, structure_tree, agent):
    action = ImprovementActionFactory(structure=structure_tree["mine"])
    client.force_login(agent)
    client.post(publish_url(action))
    first_published_at = ImprovementAction.objects.get().published_at

    response = client.post(publish_url(action), follow=True)

    assert "Cette action était déjà publiée." in text(response)
    assert ImprovementAction.objects.get().published_at == first_published_at


def test_authors_email_never_appears_on_action_pages(client, structure_tree, agent):
    experience = routed_experience(structure_tree["mine"])
    action = ImprovementActionFactory(structure=structure_tree["mine"])
    services.link_experience(action=action, experience=experience, by=agent)
    evaluator = user_with(Role.EVALUATOR, structure_tree)

    pages = []
    for user in (agent, evaluator):
        client.force_login(user)
        pages += [client.get(url).text for url in (reverse("agents:actions"), edit_url(action), publish_url(action))]

    assert experience.title in pages[1]
    assert not any(experience.author_email in page for page in pages)


# --- The list -----------------------------------------------------------------------------------


def test_agent_lists_actions_of_their_subtree_only(client, structure_tree, agent):
    ImprovementActionFactory(structure=structure_tree["mine"], title="Action de ma structure")
    ImprovementActionFactory(structure=structure_tree["child"], title="Action de l'antenne")
    ImprovementActionFactory(structure=structure_tree["sibling"], title="Action voisine")
    ImprovementActionFactory(structure=structure_tree["foreign"], title="Action étrangère")
    client.force_login(agent)

    response = client.get(reverse("agents:actions"))

    titles = [action.title for action in response.context["page_obj"]]
    assert sorted(titles) == ["Action de l'antenne", "Action de ma structure"]
    assert "2 actions" in text(response) and "Créer une action d'amélioration" in text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"etat": "done"}, {"Réalisée"}),
        ({"etat": "engaged"}, {"Engagée publiée", "Engagée brouillon"}),
        ({"publication": "oui"}, {"Réalisée", "Engagée publiée"}),
        ({"publication": "non"}, {"Engagée brouillon"}),
        ({"structure": "child"}, {"Réalisée"}),
        ({"structure": "mine"}, {"Réalisée", "Engagée publiée", "Engagée brouillon"}),
        ({"structure": "sibling"}, set()),
    ],
)
def test_agent_filters_actions(client, structure_tree, agent, query, expected):
    if "structure" in query:
        query = {"structure": structure_tree[query["structure"]].code}
    ImprovementActionFactory(
        structure=structure_tree["child"], title="Réalisée", status="done", done_on=TODAY, is_public=True
    )
    ImprovementActionFactory(structure=structure_tree["mine"], title="Engagée publiée", is_public=True)
    ImprovementActionFactory(structure=structure_tree["mine"], title="Engagée brouillon")
    ImprovementActionFactory(structure=structure_tree["sibling"], title="Voisine")
    client.force_login(agent)

    response = client.get(reverse("agents:actions"), query)

    assert {action.title for action in response.context["page_obj"]} == expected
    assert response.context["counts"].total == len(expected)


def test_list_counts_and_paginates_by_twenty(client, structure_tree, agent):
    ImprovementActionFactory.create_batch(18, structure=structure_tree["mine"])
    ImprovementActionFactory.create_batch(
        3, structure=structure_tree["mine"], status="done", done_on=TODAY, is_public=True
    )
    client.force_login(agent)

    first = client.get(reverse("agents:actions"))
    second = client.get(reverse("agents:actions"), {"page": 2})

    assert len(first.context["page_obj"]) == 20 and len(second.context["page_obj"]) == 1
    assert first.context["counts"] == selectors.ActionCounts(total=21, engaged=18, done=3, public=3)
    assert "21 actions" in text(first) and "18 engagées" in text(first) and "3 réalisées" in text(first)


@pytest.mark.parametrize(
    ("query", "message"),
    [({}, "Aucune action d'amélioration pour vos structures"), ({"etat": "done"}, "Aucune action ne correspond")],
)
def test_list_explains_why_it_is_empty(client, structure_tree, agent, query, message):
    client.force_login(agent)

    response = client.get(reverse("agents:actions"), query)

    assert message in text(response)


def test_evaluator_lists_actions_without_creating_any(client, structure_tree):
    ImprovementActionFactory(structure=structure_tree["mine"], title="Action suivie")
    client.force_login(user_with(Role.EVALUATOR, structure_tree))

    response = client.get(reverse("agents:actions"))

    assert "Action suivie" in text(response) and "(consultation)" in text(response)
    assert reverse("agents:action_create") not in text(response)


@pytest.mark.parametrize("rows", [1, 20])
def test_list_query_count_does_not_grow_with_rows(client, structure_tree, agent, django_assert_num_queries, rows):
    for action in ImprovementActionFactory.create_batch(rows, structure=structure_tree["mine"]):
        action.experiences.add(routed_experience(structure_tree["mine"]))
    client.force_login(agent)

    # session, user, membership; view and manage scopes (each read once per request); page count, counts;
    # exists (the « create » button); the rows with structure, links count and rights
    with django_assert_num_queries(9):
        response = client.get(reverse("agents:actions"))

    assert len(response.context["page_obj"]) == rows

"""The agents' list and experience page: scope, filters, counts, query counts, and the steps through the pages."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experiences.models import (
    Comment,
    ExperienceStatus,
    Feeling,
    GeneralTag,
    ModerationState,
    ResponseStatus,
    TransferRequest,
)
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("agents:experiences")
AUTHOR_EMAIL = "auteur.secret@example.org"


def routed(structure, **kwargs):
    experience = f.ExperienceFactory(author_email=AUTHOR_EMAIL, **kwargs)
    f.AssignmentFactory(experience=experience, structure=structure)
    return experience


def listed(client, **params) -> list:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return list(response.context["page_obj"].object_list)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_list_holds_what_my_structures_and_their_descendants_received(agent_client, structure_tree):
    mine, child = routed(structure_tree["mine"]), routed(structure_tree["child"])
    routed(structure_tree["sibling"])
    routed(structure_tree["root"])
    routed(structure_tree["mine"], moderation_state=ModerationState.SUBMITTED)
    assert set(listed(agent_client)) == {mine, child}


def test_list_holds_the_same_rows_when_the_scope_is_too_wide_for_a_list_of_ids(
    agent_client, structure_tree, monkeypatch
):
    from structures import permissions

    monkeypatch.setattr(permissions, "SCOPE_IDS_UP_TO", 1)  # mine and child: a subquery, not a list
    mine, child = routed(structure_tree["mine"]), routed(structure_tree["child"])
    routed(structure_tree["sibling"])
    assert set(listed(agent_client)) == {mine, child}


def test_list_reads_the_scope_once_and_caches_its_filter_choices(
    agent_client, structure_tree, django_assert_num_queries
):
    routed(structure_tree["mine"])
    agent_client.get(LIST, {"etat": "a-traiter"})
    # session, user, membership; the scope's bounds (once), its networks (the cached choices' key), its
    # structures for the filter, their ids; the capped count, the page, its routings
    with django_assert_num_queries(10):
        response = agent_client.get(LIST, {"etat": "a-traiter"})
    assert len(response.context["page_obj"].object_list) == 1


def test_list_counts_and_shows_the_age_of_what_waits(agent_client, structure_tree):
    routed(structure_tree["mine"], published_at=timezone.now() - datetime.timedelta(days=3, hours=2))
    response = agent_client.get(LIST)
    content = response.content.decode()
    assert "1 expérience" in content
    assert "en attente depuis 3" in content
    assert AUTHOR_EMAIL not in content


def test_list_filters_by_state(agent_client, structure_tree):
    waiting = routed(structure_tree["mine"])
    answered = routed(structure_tree["mine"], status=ExperienceStatus.ANSWERED)
    assert listed(agent_client, etat="a-traiter") == [waiting]
    assert listed(agent_client, etat="traitees") == [answered]


def test_to_process_holds_every_unanswered_routing_of_my_scope_only(agent_client, structure_tree):
    """« À traiter » reads the unanswered routings (assignment_unanswered): each such status, the scope kept."""
    waiting = {
        status: f.AssignmentFactory(structure=structure_tree["child"], response_status=status).experience
        for status in (ResponseStatus.AWAITING, ResponseStatus.PENDING_VALIDATION, ResponseStatus.UNPUBLISHED)
    }
    routed(structure_tree["sibling"])
    # Answered by another structure: the experience is no longer « à traiter », even if mine still waits.
    answered_elsewhere = routed(structure_tree["mine"], status=ExperienceStatus.ANSWERED)
    f.AssignmentFactory(
        experience=answered_elsewhere, structure=structure_tree["foreign"], response_status=ResponseStatus.ANSWERED
    )
    assert set(listed(agent_client, etat="a-traiter")) == set(waiting.values())
    assert listed(agent_client, etat="traitees") == [answered_elsewhere]


def test_list_filters_on_my_routing_only(agent_client, structure_tree):
    """A response status or « amélioration » set by another structure does not select the experience."""
    shared = routed(structure_tree["mine"])
    f.AssignmentFactory(
        experience=shared,
        structure=structure_tree["foreign"],
        response_status=ResponseStatus.ANSWERED,
        needs_improvement=True,
    )
    flagged = f.AssignmentFactory(structure=structure_tree["child"], needs_improvement=True).experience
    assert listed(agent_client, reponse=ResponseStatus.ANSWERED) == []
    assert set(listed(agent_client, reponse=ResponseStatus.AWAITING)) == {shared, flagged}
    assert listed(agent_client, amelioration="on") == [flagged]


def test_list_filters_by_structure_within_the_scope(agent_client, structure_tree):
    routed(structure_tree["mine"])
    child = routed(structure_tree["child"])
    assert listed(agent_client, structure=structure_tree["child"].code) == [child]
    response = agent_client.get(LIST, {"structure": structure_tree["sibling"].code})
    assert "Aucune structure de ce code dans votre périmètre." in response.content.decode()


def test_list_filters_by_typology_tags_feeling_period_and_keyword(agent_client, structure_tree):
    target = routed(structure_tree["mine"], feeling=Feeling.NEGATIVE, title="Guichet des cartes grises")
    other = routed(structure_tree["mine"], published_at=timezone.now() - datetime.timedelta(days=40))
    row = f.ExperienceTypologyFactory(
        experience=target, typology=f.TypologyFactory(network=structure_tree["mine"].network)
    )
    tag = f.BusinessTagFactory(network=structure_tree["mine"].network)
    row.business_tags.add(tag)
    f.GeneralTagValueFactory(experience=target, tag=GeneralTag.REACTIVITY, value=Feeling.NEGATIVE)
    f.GeneralTagValueFactory(experience=other, tag=GeneralTag.REACTIVITY, value=Feeling.POSITIVE)
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    cases = [
        {"typologie": row.typology_id},
        {"tag_metier": tag.pk},
        {"tag": GeneralTag.REACTIVITY, "valeur_tag": Feeling.NEGATIVE},
        {"ressenti": "negatif"},
        {"du": since},
        {"q": "cartes grises"},
    ]
    for params in cases:
        assert listed(agent_client, **params) == [target], params


def test_list_sorts_by_publication_date(agent_client, structure_tree):
    old = routed(structure_tree["mine"], published_at=timezone.now() - datetime.timedelta(days=5))
    new = routed(structure_tree["mine"])
    assert listed(agent_client) == [new, old]
    assert listed(agent_client, tri="anciennes") == [old, new]


def test_list_query_count_does_not_grow_with_the_page(agent_client, structure_tree):
    for _ in range(2):
        routed(structure_tree["mine"])
    agent_client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        agent_client.get(LIST)
    for _ in range(18):
        experience = routed(structure_tree["child"])
        f.AssignmentFactory(experience=experience, structure=structure_tree["mine"])
    with CaptureQueriesContext(connection) as many:
        response = agent_client.get(LIST)
    assert len(response.context["page_obj"].object_list) == 20
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_experience_page_shows_everything_but_the_author_email(agent_client, structure_tree):
    experience = routed(structure_tree["mine"], pseudonym="Lucie75")
    other = f.AssignmentFactory(experience=experience, structure=structure_tree["foreign"])
    f.ResponseFactory(assignment=other, body="Réponse de l'autre réseau.")
    response = agent_client.get(reverse("agents:experience", args=[experience.public_id]))
    content = response.content.decode()
    assert response.status_code == 200
    for expected in ("Lucie75", experience.title, structure_tree["foreign"].name, "Réponse de l&#x27;autre réseau."):
        assert expected in content
    assert AUTHOR_EMAIL not in content


def post(client, experience, name, data):
    return client.post(reverse(f"agents:{name}", args=[experience.public_id]), data)


def test_agent_answers_through_the_page_with_formula_and_signature(agent_client, agent, structure_tree):
    formula = f.PolitenessFormulaFactory(user=agent, text="Madame, Monsieur,")
    signature = f.SignatureFactory(user=agent, text="L'accueil de la mairie")
    experience = routed(structure_tree["mine"])
    assignment = experience.assignments.get()
    prefix = f"r{assignment.pk}-"
    data = {
        "routing": assignment.pk,
        prefix + "formula": formula.pk,
        prefix + "body": "Merci, nous avons revu nos horaires.",
        prefix + "signature": signature.pk,
        "step": "submit",
    }
    assert post(agent_client, experience, "write_response", data).status_code == 302
    response = assignment.response
    assert (response.formula, response.signature) == ("Madame, Monsieur,", "L'accueil de la mairie")
    assignment.refresh_from_db()
    assert assignment.response_status == ResponseStatus.PENDING_VALIDATION


def test_a_formula_that_is_not_the_agents_own_is_refused(agent_client, structure_tree):
    experience = routed(structure_tree["mine"])
    assignment = experience.assignments.get()
    someone_elses = f.PolitenessFormulaFactory(text="Inventée")
    prefix = f"r{assignment.pk}-"
    data = {"routing": assignment.pk, prefix + "formula": someone_elses.pk, prefix + "body": "Merci.", "step": "draft"}
    response = post(agent_client, experience, "write_response", data)
    assert response.status_code == 400
    assert "Merci." in response.content.decode()  # what was typed is kept


def test_agent_moves_an_experience_to_a_child_whose_agents_are_told(
    agent_client, structure_tree, django_capture_on_commit_callbacks
):
    child_agent = f.MembershipFactory(structure=structure_tree["child"], role=Role.AGENT).user
    experience = routed(structure_tree["mine"])
    assignment = experience.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        post(
            agent_client,
            experience,
            "move",
            {"routing": assignment.pk, f"d{assignment.pk}-child": structure_tree["child"].pk},
        )
    assignment.refresh_from_db()
    assert assignment.structure == structure_tree["child"]
    assert [m.to for m in mail.outbox] == [[child_agent.email]]


def test_agent_cannot_move_to_a_structure_that_is_not_a_child(agent_client, structure_tree):
    experience = routed(structure_tree["mine"])
    assignment = experience.assignments.get()
    response = post(
        agent_client,
        experience,
        "move",
        {"routing": assignment.pk, f"d{assignment.pk}-child": structure_tree["sibling"].pk},
    )
    assert response.status_code == 400
    assignment.refresh_from_db()
    assert assignment.structure == structure_tree["mine"]


def test_agent_requests_a_transfer_with_a_reason(agent_client, agent, structure_tree):
    experience = routed(structure_tree["mine"])
    assignment = experience.assignments.get()
    prefix = f"t{assignment.pk}-"
    data = {"routing": assignment.pk, prefix + "to_structure": structure_tree["foreign"].code, prefix + "reason": ""}
    assert post(agent_client, experience, "transfer", data).status_code == 400
    data[prefix + "reason"] = "Concerne le service des cartes grises."
    assert post(agent_client, experience, "transfer", data).status_code == 302
    transfer = TransferRequest.objects.get()
    assert (transfer.from_structure, transfer.to_structure, transfer.requested_by) == (
        structure_tree["mine"],
        structure_tree["foreign"],
        agent,
    )
    # A second request while the first waits is refused with a message, not a server error.
    response = agent_client.post(reverse("agents:transfer", args=[experience.public_id]), data, follow=True)
    assert "attend déjà la décision" in response.content.decode()
    assert TransferRequest.objects.count() == 1


def test_comments_are_shared_by_the_structures_concerned_and_the_moderators(client, agent, structure_tree, moderator):
    experience = routed(structure_tree["mine"])
    f.AssignmentFactory(experience=experience, structure=structure_tree["foreign"])
    foreign_agent = f.MembershipFactory(structure=structure_tree["foreign"], role=Role.AGENT).user
    client.force_login(agent)
    post(client, experience, "comment", {"body": "Je prends le dossier."})
    comment = Comment.objects.get()
    assert (comment.author, comment.structure) == (agent, structure_tree["mine"])
    for reader in (foreign_agent, moderator):
        client.force_login(reader)
        page = client.get(reverse("agents:experience", args=[experience.public_id]))
        assert "Je prends le dossier." in page.content.decode()


def test_qualification_sets_tags_channels_and_the_improvement_flag(agent_client, structure_tree):
    experience = routed(structure_tree["mine"])
    assignment = experience.assignments.get()
    row = f.ExperienceTypologyFactory(
        experience=experience, typology=f.TypologyFactory(network=structure_tree["mine"].network)
    )
    tag = f.BusinessTagFactory(network=structure_tree["mine"].network)
    prefix = f"q{assignment.pk}-"
    data = {
        "routing": assignment.pk,
        prefix + "needs_improvement": "on",
        prefix + f"tag_{GeneralTag.RELATION}": Feeling.POSITIVE,
        prefix + f"canal_{row.pk}_phone": Feeling.NEGATIVE,
        prefix + f"canal_{row.pk}_desk": "used",
        prefix + f"tags_{row.pk}": [str(tag.pk)],
    }
    assert post(agent_client, experience, "qualify", data).status_code == 302
    assignment.refresh_from_db()
    assert assignment.needs_improvement
    assert dict(experience.general_tags.values_list("tag", "value")) == {GeneralTag.RELATION: Feeling.POSITIVE}
    assert dict(row.channels.values_list("channel", "feeling")) == {"phone": Feeling.NEGATIVE, "desk": ""}
    assert list(row.business_tags.all()) == [tag]

"""The e-mails each step of an experience's life sends: to whom, in French, in text and HTML, escaped."""

import pytest
from django.core import mail
from django.utils import timezone

from actions.models import ImprovementActionStatus
from experiences import emails
from experiences.author_links import read_evaluation_token
from experiences.models import RejectionReason, ResponseState, ResponseStatus, TransferDecision
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

SITE_URL = "https://spplus.example.gouv.fr"
HOSTILE_TITLE = "<script>alert(1)</script> L'accueil & moi"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a step in a transaction and deliver what it queued; returns the e-mails sent."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            step(*args, **kwargs)
        return list(mail.outbox)

    return run


def html_of(email) -> str:
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html"
    return html


def public_page(experience) -> str:
    return f"{SITE_URL}/experiences/{experience.public_id}/"


def member(structure, role=Role.AGENT, **user):
    return f.MembershipFactory(structure=structure, role=role, user=f.UserFactory(**user)).user


def answered(experience, structure):
    assignment = f.AssignmentFactory(
        experience=experience, structure=structure, response_status=ResponseStatus.ANSWERED
    )
    return f.ResponseFactory(assignment=assignment)


def awaiting_validation(experience, structure, author=None):
    assignment = f.AssignmentFactory(
        experience=experience, structure=structure, response_status=ResponseStatus.PENDING_VALIDATION
    )
    return f.ResponseFactory(
        assignment=assignment,
        state=ResponseState.PENDING_VALIDATION,
        published_at=None,
        author=author or f.UserFactory(),
    )


def transfer(experience, tree, decision, requested_by=None, reason=""):
    f.AssignmentFactory(experience=experience, structure=tree["mine"])
    return f.TransferRequestFactory(
        experience=experience,
        from_structure=tree["mine"],
        to_structure=tree["sibling"],
        requested_by=requested_by or member(tree["mine"]),
        decision=decision,
        decision_reason=reason,
    )


# Each step that writes to the author, run on an experience routed to the tree's "mine".
AUTHOR_STEPS = {
    "experience_published": lambda experience, tree: emails.experience_published(experience),
    "experience_rejected": lambda experience, tree: emails.experience_rejected(
        experience, reason=RejectionReason.INSULTS.label, message="Retirez les insultes."
    ),
    "experience_to_modify": lambda experience, tree: emails.experience_to_modify(
        experience, message="Retirez le nom de l'agent.", edit_url=f"{SITE_URL}/experiences/modifier/jeton/"
    ),
    "response_published": lambda experience, tree: emails.response_published(answered(experience, tree["mine"])),
    "response_modified": lambda experience, tree: emails.response_modified(answered(experience, tree["mine"])),
    "action_linked": lambda experience, tree: emails.action_linked(
        f.ImprovementActionFactory(structure=tree["mine"]), experience
    ),
}

# Each step that writes to agents about an experience of the tree's "mine".
AGENT_STEPS = {
    "agents_new_experience": lambda experience, tree: emails.new_experience(
        f.AssignmentFactory(experience=experience, structure=tree["mine"])
    ),
    "agents_pending_validation": lambda experience, tree: emails.response_awaits_validation(
        awaiting_validation(experience, tree["mine"])
    ),
    "agents_transfer_decided": lambda experience, tree: emails.transfer_decided(
        transfer(experience, tree, TransferDecision.ACCEPTED)
    ),
}
ALL_STEPS = {**AUTHOR_STEPS, **AGENT_STEPS}


# --- To the author -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", AUTHOR_STEPS)
def test_author_alone_receives_author_email(kind, send, structure_tree, agent, super_agent):
    experience = f.ExperienceFactory(author_email="lucie@example.org")

    sent = send(AUTHOR_STEPS[kind], experience, structure_tree)

    assert [email.to for email in sent] == [["lucie@example.org"]]


@pytest.mark.parametrize("kind", AUTHOR_STEPS)
def test_author_email_links_to_the_public_page_in_both_parts(kind, send, structure_tree):
    experience = f.ExperienceFactory()

    (email,) = send(AUTHOR_STEPS[kind], experience, structure_tree)

    if kind not in {"experience_rejected", "experience_to_modify"}:  # not published: no public page
        assert public_page(experience) in email.body
        assert f'href="{public_page(experience)}"' in html_of(email)
    assert experience.title in email.body and experience.title in html_of(email)


@pytest.mark.parametrize("kind", AUTHOR_STEPS)
def test_no_author_email_is_queued_when_author_left_no_address(kind, send, structure_tree):
    experience = f.ExperienceFactory(author_email="")

    assert send(AUTHOR_STEPS[kind], experience, structure_tree) == []


def test_author_is_told_experience_is_published_and_where_it_was_routed(send, structure_tree):
    experience = f.ExperienceFactory(title="Accueil de la mairie")
    f.AssignmentFactory(experience=experience, structure=structure_tree["mine"])
    f.AssignmentFactory(experience=experience, structure=structure_tree["sibling"])

    (email,) = send(emails.experience_published, experience)

    assert email.subject == "Votre expérience « Accueil de la mairie » est publiée"
    for part in (email.body, html_of(email)):
        assert "Direction départementale" in part and "Direction voisine" in part


def test_author_is_told_why_experience_is_rejected(send):
    experience = f.ExperienceFactory(title="Accueil de la mairie")

    (email,) = send(
        emails.experience_rejected,
        experience,
        reason=RejectionReason.PERSONAL_DATA.label,
        message="Votre nom y figure.",
    )

    assert email.subject == "Votre expérience « Accueil de la mairie » n'a pas été publiée"
    for part in (email.body, html_of(email)):
        assert RejectionReason.PERSONAL_DATA.label in part
        assert "Votre nom y figure." in part
        assert f"{SITE_URL}/experiences/partager/" in part


def test_author_receives_edit_link_when_asked_to_modify(send):
    experience = f.ExperienceFactory(title="Accueil de la mairie")
    edit_url = f"{SITE_URL}/experiences/modifier/jeton-signé/"

    (email,) = send(emails.experience_to_modify, experience, message="Retirez le nom.", edit_url=edit_url)

    assert email.subject == "Votre expérience « Accueil de la mairie » est à modifier avant publication"
    for part in (email.body, html_of(email)):
        assert edit_url in part and "Retirez le nom." in part


@pytest.mark.parametrize(
    ("step", "subject"),
    [
        (
            emails.response_published,
            "Réponse de Direction départementale à votre expérience « Accueil de la mairie »",
        ),
        (
            emails.response_modified,
            "Direction départementale a modifié sa réponse à votre expérience « Accueil de la mairie »",
        ),
    ],
)
def test_author_receives_signed_evaluation_link_with_response(step, subject, send, structure_tree):
    response = answered(f.ExperienceFactory(title="Accueil de la mairie"), structure_tree["mine"])

    (email,) = send(step, response)

    assert email.subject == subject
    link = next(word for word in email.body.split() if "/experiences/evaluer/" in word)
    assert link.startswith(f"{SITE_URL}/experiences/evaluer/")
    assert f'href="{link}"' in html_of(email)
    assert read_evaluation_token(link.rstrip("/").rsplit("/", 1)[-1]) == response


@pytest.mark.parametrize(
    ("status", "verb"),
    [(ImprovementActionStatus.ENGAGED, "s'engage à mener"), (ImprovementActionStatus.DONE, "a réalisé")],
)
def test_author_is_told_of_action_linked_to_experience(status, verb, send, structure_tree):
    experience = f.ExperienceFactory()
    action = f.ImprovementActionFactory(
        structure=structure_tree["mine"],
        title="Horaires affichés",
        status=status,
        done_on=timezone.localdate() if status == ImprovementActionStatus.DONE else None,
    )

    (email,) = send(emails.action_linked, action, experience)

    assert email.subject == "Une action d'amélioration fait suite à votre expérience"
    assert f"Direction départementale {verb} une action d'amélioration" in email.body
    assert "Horaires affichés" in email.body and "Horaires affichés" in html_of(email)


def test_author_is_told_once_when_same_action_is_linked_twice(send, structure_tree):
    experience = f.ExperienceFactory()
    action = f.ImprovementActionFactory(structure=structure_tree["mine"])

    def link_twice():
        emails.action_linked(action, experience)
        emails.action_linked(action, experience)

    assert len(send(link_twice)) == 1


def test_author_is_told_of_each_distinct_action_linked(send, structure_tree):
    experience = f.ExperienceFactory()
    first, second = (f.ImprovementActionFactory(structure=structure_tree["mine"]) for _ in range(2))

    def link_both():
        emails.action_linked(first, experience)
        emails.action_linked(second, experience)

    assert len(send(link_both)) == 2


# --- Every kind: French subject, two parts, escaping ---------------------------------------------


@pytest.mark.parametrize("kind", ALL_STEPS)
def test_email_has_text_and_html_parts_in_french(kind, send, structure_tree, agent, super_agent):
    sent = send(ALL_STEPS[kind], f.ExperienceFactory(), structure_tree)

    assert sent
    for email in sent:
        assert email.body.startswith("Services Publics+")
        assert '<html lang="fr">' in html_of(email)
        assert "Bonjour" in email.body and "Bonjour" in html_of(email)


@pytest.mark.parametrize("kind", ALL_STEPS)
def test_hostile_title_is_escaped_in_html_and_plain_in_text_and_subject(kind, send, structure_tree, agent, super_agent):
    experience = f.ExperienceFactory(title=HOSTILE_TITLE)

    sent = send(ALL_STEPS[kind], experience, structure_tree)

    assert sent
    for email in sent:
        html = html_of(email)
        assert HOSTILE_TITLE in email.body
        assert "&lt;" not in email.body and "&#x27;" not in email.body and "&amp;" not in email.body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; L&#x27;accueil &amp; moi" in html
        assert "<script" not in html
        assert not any(entity in email.subject for entity in ("&lt;", "&#x27;", "&amp;"))
        if kind.startswith("experience_"):
            assert HOSTILE_TITLE in email.subject


@pytest.mark.parametrize("kind", ["agents_new_experience", "agents_pending_validation", "response_published"])
def test_structure_name_with_apostrophe_is_plain_in_subject_and_escaped_in_title(
    kind, send, structure_tree, agent, super_agent
):
    mine = structure_tree["mine"]
    mine.public_name = "Caisse d'allocations <familiales>"
    mine.save(update_fields=["public_name"])

    (email, *_) = send(ALL_STEPS[kind], f.ExperienceFactory(), structure_tree)

    assert "Caisse d'allocations <familiales>" in email.subject
    assert "<title>" in html_of(email)
    assert "Caisse d&#x27;allocations &lt;familiales&gt;" in html_of(email).split("</title>")[0]


LONG_STRUCTURE_NAME = (
    "Direction départementale des finances publiques des Alpes-de-Haute-Provence — "
    "service des impôts des particuliers de Digne-les-Bains"
)
LONG_TITLE = "Un rendez-vous obtenu rapidement au guichet après trois appels restés sans réponse"


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        (
            "response_published",
            f"Réponse de {LONG_STRUCTURE_NAME} à votre expérience « Un rendez-vous obtenu rapidem… »",
        ),
        (
            "response_modified",
            f"{LONG_STRUCTURE_NAME} a modifié sa réponse à votre expérience « Un rendez-vous obtenu rapidem… »",
        ),
        (
            "agents_new_experience",
            f"Nouvelle expérience à traiter pour {LONG_STRUCTURE_NAME} : « Un rendez-vous obtenu rapidem… »",
        ),
        (
            "agents_pending_validation",
            f"Réponse à valider pour {LONG_STRUCTURE_NAME} : « Un rendez-vous obtenu rapidem… »",
        ),
    ],
)
def test_subject_shortens_a_long_title_and_keeps_the_whole_structure_name(
    kind, subject, send, structure_tree, agent, super_agent
):
    mine = structure_tree["mine"]
    mine.public_name = LONG_STRUCTURE_NAME
    mine.save(update_fields=["public_name"])

    (email, *_) = send(ALL_STEPS[kind], f.ExperienceFactory(title=LONG_TITLE), structure_tree)

    assert email.subject == subject


def test_transfer_subject_keeps_the_whole_name_of_a_long_destination(send, structure_tree, sibling_agent):
    sibling = structure_tree["sibling"]
    sibling.public_name = LONG_STRUCTURE_NAME
    sibling.save(update_fields=["public_name"])
    experience = f.ExperienceFactory(title=LONG_TITLE)

    sent = send(emails.transfer_decided, transfer(experience, structure_tree, TransferDecision.ACCEPTED))

    (destination,) = [email for email in sent if email.to == [sibling_agent.email]]
    assert destination.subject == f"Expérience n° {experience.public_id} transférée à {LONG_STRUCTURE_NAME}"


# --- To agents ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", AGENT_STEPS)
def test_agent_emails_never_show_author_address(kind, send, structure_tree, agent, super_agent, sibling_agent):
    experience = f.ExperienceFactory(author_email="lucie.secret@example.org")

    sent = send(AGENT_STEPS[kind], experience, structure_tree)

    assert sent
    for email in sent:
        assert "lucie.secret@example.org" not in email.to
        for part in (email.subject, email.body, html_of(email)):
            assert "lucie.secret" not in part


def test_agents_of_structure_are_told_of_new_experience(send, structure_tree, agent, super_agent, sibling_agent):
    member(structure_tree["root"])  # covers "mine" only when "mine" has no agent
    member(structure_tree["child"])  # below: not in charge of what reaches "mine"
    member(structure_tree["mine"], Role.EVALUATOR)
    member(structure_tree["mine"], Role.SUPER_EVALUATOR)
    member(structure_tree["mine"], Role.REFERENT)
    member(structure_tree["mine"], is_active=False)
    assignment = f.AssignmentFactory(structure=structure_tree["mine"])

    sent = send(emails.new_experience, assignment)

    assert sorted(email.to[0] for email in sent) == sorted([agent.email, super_agent.email])


def test_new_experience_email_names_structure_and_links_to_experience(send, structure_tree, agent):
    experience = f.ExperienceFactory(title="Accueil de la mairie")
    assignment = f.AssignmentFactory(experience=experience, structure=structure_tree["mine"])

    (email,) = send(emails.new_experience, assignment)

    assert email.subject == "Nouvelle expérience à traiter pour Direction départementale : « Accueil de la mairie »"
    link = emails.agent_url(experience)
    assert link.startswith(SITE_URL) and str(experience.public_id) in link
    for part in (email.body, html_of(email)):
        assert "Accueil de la mairie" in part and "Direction départementale" in part
        assert link in part and str(experience.public_id) in part


def test_agents_of_nearest_ancestor_are_told_when_structure_has_none(send, structure_tree, agent, super_agent):
    member(structure_tree["root"])
    member(structure_tree["child"], Role.EVALUATOR)  # an evaluator does not answer: "child" has no agent
    assignment = f.AssignmentFactory(structure=structure_tree["child"])

    sent = send(emails.new_experience, assignment)

    assert sorted(email.to[0] for email in sent) == sorted([agent.email, super_agent.email])
    assert all(email.subject.startswith("Nouvelle expérience à traiter pour Antenne locale : «") for email in sent)


def test_ancestor_agents_are_told_when_structure_agents_are_all_inactive(send, structure_tree):
    member(structure_tree["mine"], is_active=False)
    root_agent = member(structure_tree["root"])
    assignment = f.AssignmentFactory(structure=structure_tree["mine"])

    sent = send(emails.new_experience, assignment)

    assert [email.to for email in sent] == [[root_agent.email]]


def test_nobody_is_told_when_no_structure_of_lineage_has_agents(send, structure_tree, sibling_agent):
    member(structure_tree["mine"], Role.REFERENT)
    assignment = f.AssignmentFactory(structure=structure_tree["child"])

    assert send(emails.new_experience, assignment) == []


def test_super_agents_alone_are_asked_to_validate_response(send, structure_tree, agent, super_agent):
    member(structure_tree["root"], Role.SUPER_AGENT)
    member(structure_tree["mine"], Role.SUPER_AGENT, is_active=False)
    response = awaiting_validation(f.ExperienceFactory(), structure_tree["mine"])

    sent = send(emails.response_awaits_validation, response)

    assert [email.to for email in sent] == [[super_agent.email]]


def test_super_agents_of_nearest_ancestor_validate_when_structure_has_none(send, structure_tree, agent):
    child_agent = member(structure_tree["child"])
    root_super_agent = member(structure_tree["root"], Role.SUPER_AGENT)
    response = awaiting_validation(f.ExperienceFactory(), structure_tree["child"], author=child_agent)

    sent = send(emails.response_awaits_validation, response)

    assert [email.to for email in sent] == [[root_super_agent.email]]


def test_validation_email_names_response_author_and_links_to_experience(send, structure_tree, super_agent):
    experience = f.ExperienceFactory(title="Accueil de la mairie")
    writer = f.UserFactory(first_name="Claude", last_name="Durand")
    response = awaiting_validation(experience, structure_tree["mine"], author=writer)

    (email,) = send(emails.response_awaits_validation, response)

    assert email.subject == "Réponse à valider pour Direction départementale : « Accueil de la mairie »"
    for part in (email.body, html_of(email)):
        assert "Accueil de la mairie" in part and "rédigée par Claude Durand" in part
        assert emails.agent_url(experience) in part


def test_validation_email_names_author_by_address_when_author_has_no_name(send, structure_tree, super_agent):
    writer = f.UserFactory(first_name="", last_name="", email="redacteur@example.gouv.fr")
    response = awaiting_validation(f.ExperienceFactory(), structure_tree["mine"], author=writer)

    (email,) = send(emails.response_awaits_validation, response)

    assert "rédigée par redacteur@example.gouv.fr." in email.body


def test_accepted_transfer_tells_requester_origin_and_destination_agents_once(
    send, structure_tree, agent, super_agent, sibling_agent
):
    member(structure_tree["root"])  # the ancestor is not concerned while both sides have agents
    both_sides = member(structure_tree["mine"])
    f.MembershipFactory(user=both_sides, structure=structure_tree["sibling"], role=Role.AGENT)
    request = transfer(f.ExperienceFactory(), structure_tree, TransferDecision.ACCEPTED, requested_by=agent)

    sent = send(emails.transfer_decided, request)

    recipients = sorted(email.to[0] for email in sent)
    assert recipients == sorted([agent.email, super_agent.email, both_sides.email, sibling_agent.email])


def test_refused_transfer_tells_requester_and_origin_agents_only(
    send, structure_tree, agent, super_agent, sibling_agent
):
    requester = f.UserFactory()  # who asked may have lost the structure since: still told
    request = transfer(f.ExperienceFactory(), structure_tree, TransferDecision.REFUSED, requested_by=requester)

    sent = send(emails.transfer_decided, request)

    assert sorted(email.to[0] for email in sent) == sorted([requester.email, agent.email, super_agent.email])


def test_inactive_requester_is_not_told_of_transfer_decision(send, structure_tree, agent):
    requester = f.UserFactory(is_active=False)
    request = transfer(f.ExperienceFactory(), structure_tree, TransferDecision.REFUSED, requested_by=requester)

    sent = send(emails.transfer_decided, request)

    assert [email.to for email in sent] == [[agent.email]]


def test_accepted_transfer_tells_origin_it_left_and_destination_it_awaits_an_answer(
    send, structure_tree, agent, sibling_agent
):
    experience = f.ExperienceFactory(title="Accueil de la mairie")
    request = transfer(experience, structure_tree, TransferDecision.ACCEPTED, requested_by=agent)

    sent = {email.to[0]: email for email in send(emails.transfer_decided, request)}

    origin, destination = sent[agent.email], sent[sibling_agent.email]
    number = experience.public_id
    assert origin.subject == f"Demande de transfert acceptée : expérience n° {number}"
    assert destination.subject == f"Expérience n° {number} transférée à Direction voisine"
    assert "désormais orientée vers Direction voisine" in origin.body
    assert "Elle attend votre réponse." in destination.body
    assert emails.agent_url(experience) in destination.body
    assert emails.agent_url(experience) in html_of(destination)


def test_refused_transfer_email_gives_moderators_reason(send, structure_tree, agent):
    experience = f.ExperienceFactory()
    request = transfer(experience, structure_tree, TransferDecision.REFUSED, requested_by=agent, reason="Hors sujet.")

    (email,) = send(emails.transfer_decided, request)

    assert email.subject == f"Demande de transfert refusée : expérience n° {experience.public_id}"
    for part in (email.body, html_of(email)):
        assert "Hors sujet." in part and "Direction départementale" in part
        assert emails.agent_url(experience) in part

"""The daily digest of unanswered experiences: who receives it, what it counts and lists, once a day."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experiences.emails import agent_url
from experiences.models import ResponseStatus
from experiences.services.digest import send_unanswered_digests
from experiences.tasks import send_unanswered_digests_task
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

# The beat schedule's hour, Paris time.
NOW = datetime.datetime(2026, 3, 10, 7, 30, tzinfo=ZoneInfo("Europe/Paris"))
HOUR, DAY = datetime.timedelta(hours=1), datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def run_digest(django_capture_on_commit_callbacks):
    """Send the digests at `now` and deliver them; returns the e-mails sent by this run."""

    def run(now=None):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            send_unanswered_digests(now=now)
        return mail.outbox[before:]

    return run


def waiting(structure, age, status=ResponseStatus.AWAITING, **experience):
    """An experience routed to `structure`, published `age` ago, whose answer is at `status`."""
    fields = {f"experience__{name}": value for name, value in experience.items()}
    return f.AssignmentFactory(
        structure=structure, response_status=status, experience__published_at=NOW - age, **fields
    ).experience


def html_of(email) -> str:
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html"
    return html


def listed_ids(email) -> list[int]:
    return [int(number) for number in re.findall(r"^- n° (\d+) ", email.body, flags=re.MULTILINE)]


def test_agent_receives_counts_past_48_hours_72_hours_and_7_days(run_digest, structure_tree, agent):
    mine = structure_tree["mine"]
    for age in (50 * HOUR, 80 * HOUR, 8 * DAY, 10 * HOUR):
        waiting(mine, age)
    waiting(mine, 9 * DAY, status=ResponseStatus.ANSWERED)

    (email,) = run_digest()

    assert email.to == [agent.email]
    assert email.subject == "3 expériences sans réponse depuis plus de 48 heures"
    assert "- depuis plus de 7 jours : 1\n- depuis plus de 72 heures : 2\n- depuis plus de 48 heures : 3" in email.body
    html = html_of(email)
    for label, count in (("7 jours", 1), ("72 heures", 2), ("48 heures", 3)):
        assert re.search(rf"Depuis plus de {label}</td><td[^>]*>{count}</td>", html)


def test_digest_lists_late_experiences_oldest_first(run_digest, structure_tree, agent):
    mine = structure_tree["mine"]
    middle, newest, oldest = (waiting(mine, age) for age in (80 * HOUR, 50 * HOUR, 8 * DAY))
    waiting(mine, 10 * HOUR)

    (email,) = run_digest()

    expected = [oldest.public_id, middle.public_id, newest.public_id]
    assert listed_ids(email) == expected
    html = html_of(email)
    assert [html.index(f"N°&nbsp;{number}") for number in expected] == sorted(
        html.index(f"N°&nbsp;{number}") for number in expected
    )


def test_digest_gives_each_experience_its_age_structure_and_link(run_digest, structure_tree, agent):
    experience = waiting(structure_tree["mine"], 8 * DAY + 3 * HOUR, title="Accueil de la mairie")

    (email,) = run_digest()

    assert "« Accueil de la mairie » — Direction départementale, publiée il y a 8 jours" in email.body
    assert agent_url(experience) in email.body
    assert f'href="{agent_url(experience)}"' in html_of(email)


def test_digest_lists_only_twenty_oldest_but_counts_all(run_digest, structure_tree, agent):
    experiences = [waiting(structure_tree["mine"], (3 + n) * DAY) for n in range(22)]

    (email,) = run_digest()

    assert email.subject.startswith("22 expériences")
    oldest_first = [e.public_id for e in reversed(experiences)]
    assert listed_ids(email) == oldest_first[:20]


@pytest.mark.parametrize("status", [ResponseStatus.PENDING_VALIDATION, ResponseStatus.UNPUBLISHED])
def test_experience_without_published_answer_is_late(status, run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 50 * HOUR, status=status)

    (email,) = run_digest()

    assert email.subject == "1 expérience sans réponse depuis plus de 48 heures"


@pytest.mark.parametrize("status", [ResponseStatus.ANSWERED, ResponseStatus.MODIFIED_NOTIFIED, ResponseStatus.ADOPTED])
def test_answered_experience_is_not_late(status, run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 8 * DAY, status=status)

    assert run_digest() == []


def test_experience_under_48_hours_is_not_late(run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 47 * HOUR + 59 * datetime.timedelta(minutes=1))

    assert run_digest() == []


def test_agent_receives_nothing_when_nothing_is_late(run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 10 * HOUR)

    assert run_digest() == []


def test_digest_covers_child_structures_but_not_siblings_or_ancestors(run_digest, structure_tree, agent, sibling_agent):
    in_child = waiting(structure_tree["child"], 3 * DAY)
    in_sibling = waiting(structure_tree["sibling"], 4 * DAY)
    waiting(structure_tree["root"], 5 * DAY)
    waiting(structure_tree["foreign"], 6 * DAY)

    emails = {email.to[0]: email for email in run_digest()}

    assert set(emails) == {agent.email, sibling_agent.email}
    assert listed_ids(emails[agent.email]) == [in_child.public_id]
    assert listed_ids(emails[sibling_agent.email]) == [in_sibling.public_id]


def test_super_agent_receives_digest_too(run_digest, structure_tree, super_agent):
    waiting(structure_tree["mine"], 3 * DAY)

    assert [email.to for email in run_digest()] == [[super_agent.email]]


def test_agent_of_several_structures_receives_one_digest_for_all(run_digest, structure_tree, agent):
    f.MembershipFactory(user=agent, structure=structure_tree["sibling"], role=Role.AGENT)
    f.MembershipFactory(user=agent, structure=structure_tree["child"], role=Role.SUPER_AGENT)
    waiting(structure_tree["child"], 3 * DAY)
    waiting(structure_tree["sibling"], 4 * DAY)

    (email,) = run_digest()

    assert email.subject.startswith("2 expériences")


def test_agent_who_opted_out_receives_no_digest(run_digest, structure_tree, agent, super_agent):
    agent.receives_digest = False
    agent.save(update_fields=["receives_digest"])
    waiting(structure_tree["mine"], 3 * DAY)

    assert [email.to for email in run_digest()] == [[super_agent.email]]


def test_inactive_agent_receives_no_digest(run_digest, structure_tree, agent):
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    waiting(structure_tree["mine"], 3 * DAY)

    assert run_digest() == []


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.SUPER_EVALUATOR, Role.REFERENT])
def test_member_who_does_not_answer_receives_no_digest(role, run_digest, structure_tree):
    f.MembershipFactory(structure=structure_tree["mine"], role=role)
    waiting(structure_tree["mine"], 3 * DAY)

    assert run_digest() == []


def test_moderator_receives_no_digest(run_digest, structure_tree, moderator):
    waiting(structure_tree["mine"], 3 * DAY)

    assert run_digest() == []


def test_digest_runs_twice_the_same_day_send_once(run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 3 * DAY)

    assert len(run_digest()) == 1
    assert send_unanswered_digests(now=NOW + 15 * HOUR) == 0  # 22:30, still 10 March in Paris
    assert len(mail.outbox) == 1


def test_digest_is_sent_again_next_day(run_digest, structure_tree, agent, _frozen_clock):
    waiting(structure_tree["mine"], 3 * DAY)
    run_digest()

    _frozen_clock.shift(DAY)
    (email,) = run_digest()

    assert email.to == [agent.email]
    assert "au 11 mars 2026" in email.body


def test_digest_day_is_paris_day_not_utc_day(run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 3 * DAY)
    evening = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 11 March in Paris

    run_digest(now=NOW)
    (email,) = run_digest(now=evening)

    assert "au 11 mars 2026" in email.body


def test_digest_task_sends_digests(django_capture_on_commit_callbacks, structure_tree, agent):
    waiting(structure_tree["mine"], 3 * DAY)

    with django_capture_on_commit_callbacks(execute=True):
        queued = send_unanswered_digests_task.delay().get()

    assert queued == 1
    assert [email.to for email in mail.outbox] == [[agent.email]]


def test_digest_is_in_french_in_text_and_html(run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 50 * HOUR)

    (email,) = run_digest()

    assert email.subject == "1 expérience sans réponse depuis plus de 48 heures"
    assert "au 10 mars 2026" in email.body and "au 10 mars 2026" in html_of(email)
    assert "publiée il y a 2 jours" in email.body
    assert "récapitulatif quotidien" in email.body and "récapitulatif quotidien" in html_of(email)


def test_digest_escapes_title_in_html_and_keeps_it_plain_in_text(run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 3 * DAY, title="<script>alert(1)</script> L'accueil")

    (email,) = run_digest()

    assert "« <script>alert(1)</script> L'accueil »" in email.body
    assert "&lt;" not in email.body and "&#x27;" not in email.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; L&#x27;accueil" in html_of(email)
    assert "<script" not in html_of(email)


def test_digest_never_shows_author_address(run_digest, structure_tree, agent):
    waiting(structure_tree["mine"], 3 * DAY, author_email="lucie.secret@example.org")

    (email,) = run_digest()

    for part in (email.subject, email.body, html_of(email)):
        assert "lucie.secret" not in part


def test_digest_queries_do_not_grow_with_late_experiences(structure_tree, agent):
    waiting(structure_tree["mine"], 3 * DAY)
    with CaptureQueriesContext(connection) as one_late:
        send_unanswered_digests(now=NOW)

    for age in range(4, 14):
        waiting(structure_tree["mine"], age * DAY)
    with CaptureQueriesContext(connection) as eleven_late:
        send_unanswered_digests(now=NOW + DAY)

    assert len(eleven_late) == len(one_late)

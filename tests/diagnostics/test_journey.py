"""Filling in a diagnostic through its pages: start, one page per commitment, draft and resume, back, prefill,
the yearly limit and one draft at a time, completion and results."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Answer, AnswerValue, CommitmentNote, Diagnostic, DiagnosticStatus
from structures.models import Role
from tests import factories as f
from tests.diagnostics.helpers import answer_all, completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluator(structure_tree):
    return f.MembershipFactory(structure=structure_tree["mine"], role=Role.EVALUATOR).user


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_url(diagnostic, number):
    return reverse("agents:diagnostic_page", args=[diagnostic.pk, number])


def page_data(diagnostic, number, value=AnswerValue.YES, move="suivant", note=""):
    questions = diagnostic.version.questions.filter(commitment=number)
    return {"aller": move, "note": note, **{f"question_{q.pk}": value for q in questions}}


def start(client, structure):
    response = client.post(reverse("agents:diagnostic_start"), {"structure": structure.pk})
    return response, Diagnostic.objects.filter(structure=structure).order_by("-pk").first()


def test_evaluator_sees_the_approach_and_the_button(client, evaluator, structure_tree):
    client.force_login(evaluator)

    response = client.get(reverse("agents:diagnostics"))

    assert "Réaliser le diagnostic Services Publics+ en équipe" in text(response)
    assert "environ deux heures" in text(response)
    assert structure_tree["mine"].code in text(response)


def test_starting_opens_the_first_commitment(client, evaluator, structure_tree):
    client.force_login(evaluator)

    response, diagnostic = start(client, structure_tree["mine"])

    assert response.url == page_url(diagnostic, 1)
    page = client.get(response.url)
    assert "Bienveillance et droit à l'erreur" in text(page)
    assert "Étape 1 sur 9" in text(page)


def test_next_needs_every_answer_and_keeps_nothing_half_done(client, evaluator, structure_tree):
    client.force_login(evaluator)
    _, diagnostic = start(client, structure_tree["mine"])
    data = page_data(diagnostic, 1)
    data.pop(next(k for k in data if k.startswith("question_")))

    response = client.post(page_url(diagnostic, 1), data)

    assert response.status_code == 200
    assert "Répondez à cette question pour passer à la page suivante." in text(response)
    assert not Answer.objects.filter(diagnostic=diagnostic).exists()


def test_draft_keeps_partial_answers_and_resume_opens_the_page_reached(client, evaluator, structure_tree):
    client.force_login(evaluator)
    _, diagnostic = start(client, structure_tree["mine"])
    client.post(page_url(diagnostic, 1), page_data(diagnostic, 1))
    data = page_data(diagnostic, 2, move="brouillon", note="Horaires à afficher")
    data.pop(next(k for k in data if k.startswith("question_")))

    client.post(page_url(diagnostic, 2), data)
    client.logout()
    client.force_login(evaluator)
    response = client.get(reverse("agents:diagnostic", args=[diagnostic.pk]))

    assert response.url == page_url(diagnostic, 2)
    assert Answer.objects.filter(diagnostic=diagnostic, question__commitment=2).count() == 5
    assert CommitmentNote.objects.get(diagnostic=diagnostic, commitment=2).text == "Horaires à afficher"
    assert "Horaires à afficher" in text(client.get(response.url))


def test_back_keeps_the_answers_and_lets_one_change_them(client, evaluator, structure_tree):
    client.force_login(evaluator)
    _, diagnostic = start(client, structure_tree["mine"])
    client.post(page_url(diagnostic, 1), page_data(diagnostic, 1, AnswerValue.PARTLY))

    response = client.post(page_url(diagnostic, 2), {"aller": "precedent"})

    assert response.url == page_url(diagnostic, 1)
    page = client.get(response.url)
    assert text(page).count('value="partly" checked') == 6
    client.post(page_url(diagnostic, 1), page_data(diagnostic, 1, AnswerValue.YES))
    assert set(Answer.objects.filter(diagnostic=diagnostic).values_list("value", flat=True)) == {"yes"}


def test_not_local_is_offered_only_for_network_questions(client, evaluator, structure_tree):
    client.force_login(evaluator)
    _, diagnostic = start(client, structure_tree["mine"])

    page = text(client.get(page_url(diagnostic, 1)))

    network_questions = diagnostic.version.questions.filter(commitment=1, concerns_network=True).count()
    assert page.count('value="not_local"') == network_questions


def test_the_whole_journey_records_the_diagnostic_and_shows_its_results(
    client, evaluator, structure_tree, django_capture_on_commit_callbacks
):
    client.force_login(evaluator)
    _, diagnostic = start(client, structure_tree["mine"])
    for number in range(1, 9):
        client.post(page_url(diagnostic, number), page_data(diagnostic, number, AnswerValue.MOSTLY))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(diagnostic, 9), page_data(diagnostic, 9, AnswerValue.MOSTLY, move="terminer"))

    diagnostic.refresh_from_db()
    assert diagnostic.status == DiagnosticStatus.COMPLETED
    assert diagnostic.results["overall"] == 66.7
    assert response.url == reverse("agents:diagnostic", args=[diagnostic.pk])
    results = client.get(response.url)
    assert "Score global : 67 %" in text(results)
    assert "Comment les scores sont calculés" in text(results)


def test_results_say_calcul_en_cours_until_the_task_has_run(client, evaluator, structure_tree):
    client.force_login(evaluator)
    diagnostic = f.DiagnosticFactory(structure=structure_tree["mine"])
    answer_all(diagnostic)
    Diagnostic.objects.filter(pk=diagnostic.pk).update(status=DiagnosticStatus.COMPLETED, completed_at=timezone.now())

    response = client.get(reverse("agents:diagnostic", args=[diagnostic.pk]))

    assert "Calcul en cours" in text(response)


def test_one_draft_at_a_time_per_structure(client, evaluator, structure_tree):
    client.force_login(evaluator)
    _, first = start(client, structure_tree["mine"])
    other = f.MembershipFactory(structure=structure_tree["mine"], role=Role.AGENT).user
    client.force_login(other)

    response, second = start(client, structure_tree["mine"])

    assert second == first
    assert response.url == page_url(first, 1)


def test_third_diagnostic_of_the_year_is_refused_naming_the_two_dates(client, evaluator, structure_tree):
    now = timezone.localtime()
    first = completed(structure_tree["mine"], on=now.replace(month=1, day=15))
    second = completed(structure_tree["mine"], on=now - datetime.timedelta(minutes=5))
    client.force_login(evaluator)

    response, _ = start(client, structure_tree["mine"])

    page = client.get(response.url)
    assert not Diagnostic.objects.filter(status=DiagnosticStatus.DRAFT).exists()
    first_date, second_date = (timezone.localdate(d.completed_at) for d in (first, second))
    dates = f"le {first_date:%d/%m/%Y} et le {second_date:%d/%m/%Y}"
    assert dates in text(page)


def test_second_diagnostic_starts_from_the_previous_answers(client, evaluator, structure_tree):
    completed(structure_tree["mine"], value=AnswerValue.PARTLY, on=timezone.now() - datetime.timedelta(days=400))
    client.force_login(evaluator)

    _, diagnostic = start(client, structure_tree["mine"])

    assert diagnostic.answers.count() == diagnostic.version.questions.count()
    assert set(diagnostic.answers.values_list("value", flat=True)) == {"partly"}
    assert text(client.get(page_url(diagnostic, 3))).count('value="partly" checked') == 5


def test_history_lists_every_date_and_opens_the_chosen_one(client, evaluator, structure_tree):
    old = completed(structure_tree["mine"], value=AnswerValue.NO, on=timezone.now() - datetime.timedelta(days=400))
    completed(structure_tree["mine"], value=AnswerValue.YES)
    client.force_login(evaluator)
    url = reverse("agents:diagnostic_history", args=[structure_tree["mine"].pk])

    latest = client.get(url)
    chosen = client.get(url, {"diagnostic": old.pk})

    assert "Score global : 100 %" in text(latest)
    assert f"{timezone.localdate(old.completed_at):%d/%m/%Y}" in text(latest)
    assert "Score global : 0 %" in text(chosen)


def test_saving_a_page_costs_the_same_queries_whatever_its_number_of_questions(
    client, evaluator, structure_tree, django_assert_max_num_queries
):
    client.force_login(evaluator)
    start(client, structure_tree["mine"])
    diagnostic = Diagnostic.objects.get()
    client.post(page_url(diagnostic, 1), page_data(diagnostic, 1, move="brouillon"))

    # Session, user, scope, the draft, its questions; then the locked draft, the role, the upsert of the
    # answers, the note and the draft's step: one statement for all the answers, new or changed.
    with django_assert_max_num_queries(19):
        response = client.post(page_url(diagnostic, 1), page_data(diagnostic, 1, AnswerValue.NO, move="brouillon"))

    assert response.status_code == 302
    assert set(diagnostic.answers.values_list("value", flat=True)) == {AnswerValue.NO}
    assert diagnostic.answers.count() == diagnostic.version.questions.filter(commitment=1).count() > 4

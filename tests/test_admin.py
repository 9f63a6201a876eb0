"""The Django admin: every page opens, changelists keep a fixed query count, the author's e-mail never shows."""

import datetime
import itertools

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, ForeignKeyRawIdWidget, RelatedFieldWidgetWrapper
from django.contrib.auth.models import Group
from django.db import connection
from django.forms import ModelChoiceField
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from dsfr.models import DsfrConfig

from accounts.models import PolitenessFormula, Signature, User
from actions.models import ImprovementAction
from content.models import Advice, NewsArticle
from dashboards.models import DashboardRollupState
from diagnostics.models import Diagnostic, QuestionnaireVersion
from experiences.models import (
    Assignment,
    AuthorEvaluation,
    Comment,
    Experience,
    ExperienceChannel,
    ExperienceToModerate,
    ExperienceTypology,
    Feeling,
    GeneralTagValue,
    MeToo,
    ModerationState,
    Response,
    ResponseVote,
    TransferRequest,
)
from notifications.models import OutboxEmail
from opendata.models import PublishedFile
from panel.models import Panellist, TestCampaign
from resources.models import FaqEntry, Resource, ResourceKind, Theme
from simplification.models import ComplexDocumentReport
from structures.models import (
    BusinessTag,
    Department,
    Membership,
    MembershipChange,
    MembershipChangeKind,
    Network,
    Region,
    ResponseTarget,
    Structure,
    Typology,
)
from tests import factories as f
from tests.content.factories import AdviceFactory, NewsArticleFactory
from tests.helpers import admin_form_data
from tests.panel.factories import PanellistFactory, TestCampaignFactory
from tests.transparency.factories import ImportFactory, IndicatorFactory, ResultFactory
from transparency.models import Import, Indicator, Result

AUTHOR_EMAIL = "auteur.secret@example.org"
PASSWORD = "un-mot-de-passe-tres-solide-2026"
OUR_APPS = {
    "accounts",
    "structures",
    "actions",
    "experiences",
    "dashboards",
    "notifications",
    "transparency",
    "resources",
}
# Tables too big to render as a <select> (Structure: 14,763 rows; experiences and their rows: up to a million).
BIG_MODELS = {User, Structure, Experience, ExperienceTypology, Assignment, Response}

_numbers = itertools.count()


def _region() -> Region:
    n = next(_numbers)
    return Region.objects.create(code=f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}", name=f"Région {n}")


def _department() -> Department:
    n = next(_numbers)
    return Department.objects.create(code=f"Z{n % 100:02d}", name=f"Département {n}", region=_region())


def _experience_to_moderate() -> ExperienceToModerate:
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED)
    f.ExperienceTypologyFactory(experience=experience)
    return ExperienceToModerate.objects.get(pk=experience.pk)


def _outbox_email() -> OutboxEmail:
    return OutboxEmail.objects.create(
        kind="experience_published", to="usager@example.org", subject="Votre expérience est publiée", body_text="…"
    )


def _sign_in_record(model):
    """A row of django-axes' sign-in records (failed attempts, logs)."""
    return lambda: model.objects.create(
        **({"get_data": "", "post_data": "", "failures_since_start": 1} if model is AccessAttempt else {}),
        username=f"agent{next(_numbers)}@example.gouv.fr",
        ip_address="192.0.2.1",
        user_agent="Firefox",
        path_info="/agents/connexion/",
    )


def _periodic_task() -> PeriodicTask:
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(name=f"tâche {next(_numbers)}", task="spplus.demo", interval=interval)


def _theme() -> Theme:
    n = next(_numbers)
    return Theme.objects.create(name=f"Thème {n}", slug=f"theme-{n}")


def _membership_change() -> MembershipChange:
    membership = f.MembershipFactory()
    return MembershipChange.objects.create(
        kind=MembershipChangeKind.ADDED,
        structure=membership.structure,
        structure_code=membership.structure.code,
        member=membership.user,
        member_email=membership.user.email,
        role=membership.role,
        changed_by=f.UserFactory(),
    )


# One way to build a row of every registered model; a model registered without one fails the tests below.
BUILDERS = {
    User: f.UserFactory,
    Group: lambda: Group.objects.create(name=f"Groupe {next(_numbers)}"),
    PolitenessFormula: f.PolitenessFormulaFactory,
    Signature: f.SignatureFactory,
    Region: _region,
    Department: _department,
    Network: f.NetworkFactory,
    ResponseTarget: lambda: ResponseTarget.objects.create(network=f.NetworkFactory(), hours=48),
    Typology: f.TypologyFactory,
    BusinessTag: f.BusinessTagFactory,
    Structure: lambda: f.StructureFactory(parent=f.StructureFactory()),
    Membership: f.MembershipFactory,
    MembershipChange: _membership_change,
    Theme: _theme,
    Resource: lambda: Resource.objects.create(kind=ResourceKind.PAGE, title="Fiche", summary="Résumé", body="Texte"),
    FaqEntry: lambda: FaqEntry.objects.create(theme=_theme(), question="Question ?", answer="Réponse."),
    Experience: f.ExperienceFactory,
    GeneralTagValue: f.GeneralTagValueFactory,
    ExperienceTypology: f.ExperienceTypologyFactory,
    ExperienceChannel: f.ExperienceChannelFactory,
    Assignment: f.AssignmentFactory,
    Response: f.ResponseFactory,
    ResponseVote: f.ResponseVoteFactory,
    AuthorEvaluation: f.AuthorEvaluationFactory,
    MeToo: lambda: MeToo.objects.create(experience=f.ExperienceFactory(), visitor_key=f"visitor-{next(_numbers)}"),
    Comment: f.CommentFactory,
    ImprovementAction: f.ImprovementActionFactory,
    QuestionnaireVersion: f.QuestionnaireVersionFactory,
    Diagnostic: f.DiagnosticFactory,
    DashboardRollupState: lambda: DashboardRollupState.objects.create(complete_through=datetime.date(2026, 11, 22)),
    # The migration made one row per dataset.
    PublishedFile: lambda: PublishedFile.objects.get(slug="typologies"),
    TransferRequest: f.TransferRequestFactory,
    ExperienceToModerate: _experience_to_moderate,
    OutboxEmail: _outbox_email,
    Indicator: IndicatorFactory,
    Result: ResultFactory,
    Import: ImportFactory,
    Advice: AdviceFactory,
    NewsArticle: NewsArticleFactory,
    Panellist: PanellistFactory,
    TestCampaign: TestCampaignFactory,
    DsfrConfig: lambda: DsfrConfig.objects.get_or_create(language="fr")[0],
    PeriodicTask: _periodic_task,
    IntervalSchedule: lambda: IntervalSchedule.objects.create(every=next(_numbers) + 1, period=IntervalSchedule.DAYS),
    CrontabSchedule: lambda: CrontabSchedule.objects.create(minute=str(next(_numbers) % 60)),
    SolarSchedule: lambda: SolarSchedule.objects.create(
        event="sunrise", latitude=48.85, longitude=next(_numbers) % 180
    ),
    ClockedSchedule: lambda: ClockedSchedule.objects.create(clocked_time=timezone.now()),
    AccessAttempt: _sign_in_record(AccessAttempt),
    AccessFailureLog: _sign_in_record(AccessFailureLog),
    AccessLog: _sign_in_record(AccessLog),
    ComplexDocumentReport: lambda: ComplexDocumentReport.objects.create(
        kind="courrier",
        title="Avis",
        description="Difficile à lire",
        reporter_email="u@example.org",
        organism_name="CAF",
    ),
}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
OURS = [model for model in REGISTERED if model._meta.app_label in OUR_APPS]


def _label(model) -> str:
    return model._meta.label


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _can_add(model, user) -> bool:
    """Some admins refuse additions: experiences come from citizens, e-mails and transfers from steps."""
    return admin.site._registry[model].has_add_permission(_request(user))


def _can_delete(model, user) -> bool:
    return admin.site._registry[model].has_delete_permission(_request(user))


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def experience_with_everything(db):
    """An experience with a row in every table the admin lists, and a recognisable author e-mail."""
    experience = f.ExperienceFactory(author_email=AUTHOR_EMAIL, title="Guichet des cartes grises", pseudonym="Lucie")
    typology = f.ExperienceTypologyFactory(experience=experience)
    f.ExperienceChannelFactory(experience_typology=typology)
    f.GeneralTagValueFactory(experience=experience)
    assignment = f.AssignmentFactory(experience=experience)
    response = f.ResponseFactory(assignment=assignment)
    f.ResponseVoteFactory(response=response)
    f.AuthorEvaluationFactory(response=response)
    MeToo.objects.create(experience=experience, visitor_key="visitor-me-too")
    f.CommentFactory(experience=experience)
    f.ImprovementActionFactory(structure=assignment.structure).experiences.add(experience)
    f.TransferRequestFactory(experience=experience, from_structure=assignment.structure)
    return experience


@pytest.mark.django_db
def test_every_registered_model_has_a_builder():
    assert [model for model in REGISTERED if model not in BUILDERS] == []


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_superuser_can_open_changelist_and_add_page(admin_client, superuser, model):
    BUILDERS[model]()
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "add")).status_code == (200 if _can_add(model, superuser) else 403)


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_superuser_can_open_change_page(admin_client, model):
    obj = BUILDERS[model]()
    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", OURS, ids=_label)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    url = _url(model, "changelist")
    for _ in range(3):
        BUILDERS[model]()
    admin_client.get(url)  # first request fills per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    for _ in range(20):
        BUILDERS[model]()
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


@pytest.mark.parametrize("model", OURS, ids=_label)
def test_no_foreign_key_to_a_big_table_renders_as_a_select(superuser, model):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    forms = [model_admin.get_form(request)]
    forms += [inline(model, admin.site).get_formset(request).form for inline in model_admin.inlines]
    for form in forms:
        for name, field in form.base_fields.items():
            if isinstance(field, ModelChoiceField) and field.queryset.model in BIG_MODELS:
                widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
                assert isinstance(widget, AutocompleteMixin | ForeignKeyRawIdWidget), f"{form.__name__}.{name}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_no_admin_option_names_the_author_email(model):
    model_admin = admin.site._registry[model]
    options = [
        *model_admin.list_display,
        *model_admin.search_fields,
        *[str(spec[0] if isinstance(spec, tuple) else spec) for spec in model_admin.list_filter],
        *model_admin.readonly_fields,
        *(model_admin.fields or ()),
    ]
    assert not [option for option in options if "author_email" in str(option)]


def test_experience_form_has_no_author_email_field(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[Experience]
    for obj in (None, f.ExperienceFactory()):
        assert "author_email" not in model_admin.get_form(request, obj).base_fields
        assert "author_email" not in model_admin.get_fields(request, obj)


@pytest.mark.parametrize("model", [model for model in OURS if model._meta.app_label == "experiences"], ids=_label)
def test_no_admin_page_shows_the_author_email(admin_client, superuser, experience_with_everything, model):
    # One waiting in the moderation queue too, with the same recognisable address.
    Experience.objects.filter(pk=_experience_to_moderate().pk).update(author_email=AUTHOR_EMAIL)
    views = ["change", "history"] + (["delete"] if _can_delete(model, superuser) else [])
    urls = [_url(model, "changelist")] + ([_url(model, "add")] if _can_add(model, superuser) else [])
    for obj in admin.site._registry[model].get_queryset(_request(superuser)):
        urls += [_url(model, view, obj.pk) for view in views]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert AUTHOR_EMAIL not in response.content.decode(), url


@pytest.mark.parametrize("term", ["cartes grises", "Lucie", "public id"])
def test_experience_search_finds_it_without_showing_the_author_email(admin_client, experience_with_everything, term):
    if term == "public id":
        term = str(experience_with_everything.public_id)
    response = admin_client.get(_url(Experience, "changelist"), {"q": term})
    assert list(response.context["cl"].result_list) == [experience_with_everything]
    assert AUTHOR_EMAIL not in response.content.decode()


@pytest.mark.parametrize("term", [AUTHOR_EMAIL, "auteur.secret", "example.org"])
def test_experience_search_cannot_find_it_by_author_email(admin_client, experience_with_everything, term):
    response = admin_client.get(_url(Experience, "changelist"), {"q": term})
    assert response.context["cl"].result_count == 0


def test_experience_autocomplete_does_not_show_the_author_email(admin_client, experience_with_everything):
    params = {"app_label": "experiences", "model_name": "assignment", "field_name": "experience", "term": "cartes"}
    response = admin_client.get(reverse("admin:autocomplete"), params)
    assert [row["id"] for row in response.json()["results"]] == [str(experience_with_everything.pk)]
    assert AUTHOR_EMAIL not in response.content.decode()


@pytest.mark.parametrize("model", [Assignment, Response, ResponseVote, MeToo, ExperienceChannel], ids=_label)
def test_related_rows_are_found_by_the_experience_public_id(admin_client, experience_with_everything, model):
    f.ExperienceFactory()  # and not another experience's
    response = admin_client.get(_url(model, "changelist"), {"q": str(experience_with_everything.public_id)})
    assert response.context["cl"].result_count == 1


def test_saving_an_experience_keeps_its_author_email_and_updates_routing_copies(
    admin_client, experience_with_everything
):
    url = _url(Experience, "change", experience_with_everything.pk)
    data = admin_form_data(admin_client.get(url))
    data["feeling"] = Feeling.NEGATIVE

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    experience_with_everything.refresh_from_db()
    assert experience_with_everything.feeling == Feeling.NEGATIVE
    assert experience_with_everything.author_email == AUTHOR_EMAIL
    assert set(experience_with_everything.assignments.values_list("feeling", flat=True)) == {Feeling.NEGATIVE}


def test_moderation_state_is_read_only_outside_the_moderation_queue(admin_client):
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED)
    url = _url(Experience, "change", experience.pk)
    data = admin_form_data(admin_client.get(url))
    data["moderation_state"] = ModerationState.PUBLISHED

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.SUBMITTED


def test_experience_change_page_shows_public_id_and_inlines(admin_client, experience_with_everything):
    response = admin_client.get(_url(Experience, "change", experience_with_everything.pk))
    content = response.content.decode()
    assert str(experience_with_everything.public_id) in content
    assert {inline.formset.prefix for inline in response.context["inline_admin_formsets"]} == {
        "general_tags",
        "typologies",
        "assignments",
    }


def test_moderator_flag_grants_the_moderation_admin(client, moderator):
    f.ExperienceFactory()
    client.force_login(moderator)
    for model in (Experience, ExperienceToModerate, TransferRequest, OutboxEmail, Structure):
        assert client.get(_url(model, "changelist")).status_code == 200, model


def test_moderator_cannot_delete_experiences(client, moderator):
    experience = f.ExperienceFactory()
    client.force_login(moderator)
    assert client.get(_url(Experience, "delete", experience.pk)).status_code == 403


def test_staff_without_moderator_flag_or_permissions_cannot_open_experience_changelist(client, db):
    staff = f.UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(_url(Experience, "changelist")).status_code == 403


def test_agent_is_redirected_to_admin_login(client, agent):
    client.force_login(agent)
    url = _url(Experience, "changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_site_header_is_french(admin_client):
    assert "Administration Services Publics+" in admin_client.get(reverse("admin:index")).content.decode()


def test_superuser_can_create_user_who_logs_in_with_email(admin_client):
    response = admin_client.post(
        _url(User, "add"),
        {
            "email": "Nouvel.Agent@Example.gouv.fr",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvel.agent@example.gouv.fr")
    assert Client().login(request=RequestFactory().post("/admin/login/"), username=user.email, password=PASSWORD)


def test_user_add_form_refuses_an_email_that_differs_only_by_case(admin_client):
    f.UserFactory(email="camille.martin@example.gouv.fr")
    response = admin_client.post(
        _url(User, "add"),
        {
            "email": "Camille.Martin@example.gouv.fr",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["Un utilisateur utilise déjà cette adresse e-mail."]
    assert User.objects.filter(email__iexact="camille.martin@example.gouv.fr").count() == 1


def test_superuser_can_make_a_user_moderator(admin_client):
    user = f.MembershipFactory().user
    url = _url(User, "change", user.pk)
    data = admin_form_data(admin_client.get(url))
    data.update(is_staff="on", is_moderator="on")
    data.pop("receives_digest")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.is_staff, user.is_moderator, user.receives_digest) == (True, True, False)
    assert user.memberships.count() == 1


def test_user_changelist_shows_moderator_and_digest_columns(admin_client):
    response = admin_client.get(_url(User, "changelist"))
    assert {"is_moderator", "receives_digest"} <= set(response.context["cl"].list_display)


def test_structure_changelist_lists_the_tree_in_order_indented_by_level(admin_client, structure_tree):
    network = structure_tree["root"].network
    response = admin_client.get(_url(Structure, "changelist"), {"network__id__exact": network.pk})
    assert list(response.context["cl"].result_list) == [
        structure_tree[name] for name in ("root", "mine", "child", "sibling")
    ]
    assert 'style="padding-left:48px"' in response.content.decode()  # level 2: 8 + 2 × 20


def test_structure_search_finds_it_by_code(admin_client, structure_tree):
    response = admin_client.get(_url(Structure, "changelist"), {"q": structure_tree["child"].code})
    assert list(response.context["cl"].result_list) == [structure_tree["child"]]


def test_structure_can_be_moved_under_another_parent(admin_client, structure_tree):
    child = structure_tree["child"]
    url = _url(Structure, "change", child.pk)
    data = admin_form_data(admin_client.get(url))
    data["parent"] = str(structure_tree["sibling"].pk)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    child.refresh_from_db()
    assert child.parent == structure_tree["sibling"]
    assert child.is_child_node() and child.level == 2


def test_big_tables_never_count_the_whole_table(admin_client):
    f.ExperienceFactory()
    response = admin_client.get(_url(Experience, "changelist"), {"moderation_state__exact": "published"})
    assert response.context["cl"].full_result_count is None


@pytest.mark.postgres
def test_unfiltered_experience_count_comes_from_table_statistics(admin_client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's table statistics only")
    f.ExperienceFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = 1234567 WHERE oid = 'experiences_experience'::regclass")
    response = admin_client.get(_url(Experience, "changelist"))
    assert response.context["cl"].result_count == 1234567
    filtered = admin_client.get(_url(Experience, "changelist"), {"feeling__exact": Feeling.POSITIVE})
    assert filtered.context["cl"].result_count == 1


def test_improvement_action_lists_by_engagement_date(admin_client):
    older = f.ImprovementActionFactory(engaged_on=timezone.localdate() - datetime.timedelta(days=40))
    newer = f.ImprovementActionFactory()
    response = admin_client.get(_url(ImprovementAction, "changelist"))
    assert list(response.context["cl"].result_list) == [newer, older]

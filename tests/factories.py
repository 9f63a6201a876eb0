"""factory-boy factories for every model; related objects are built on the same network and tree."""

import datetime

import factory
from django.utils import timezone

from accounts.models import PolitenessFormula, Signature, User
from actions.models import ImprovementAction
from diagnostics.models import Diagnostic, Question, QuestionnaireVersion
from diagnostics.questionnaire import load_questionnaire
from experiences.models import (
    Assignment,
    AuthorEvaluation,
    AuthorType,
    Comment,
    Experience,
    ExperienceChannel,
    ExperienceTypology,
    Feeling,
    GeneralTag,
    GeneralTagValue,
    ModerationState,
    Response,
    ResponseState,
    ResponseStatus,
    ResponseVote,
    TransferRequest,
)
from structures.models import BusinessTag, Membership, Network, Role, Structure, Typology

DESCRIPTION = (
    "Je me suis rendu à l'accueil pour renouveler mon titre de séjour. L'agent a pris le temps "
    "de m'expliquer chaque pièce à fournir et m'a donné un rendez-vous rapide. Merci."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@example.gouv.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ModeratorFactory(UserFactory):
    is_moderator = True
    is_staff = True


class PolitenessFormulaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolitenessFormula

    user = factory.SubFactory(UserFactory)
    text = "Nous vous prions d'agréer nos salutations distinguées."


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    user = factory.SubFactory(UserFactory)
    text = "Le service d'accueil"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"RÉSEAU {n}")


class TypologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Typology

    code = factory.Sequence(lambda n: f"Typo{n:06d}")
    name = factory.Sequence(lambda n: f"Typologie {n}")
    network = factory.SubFactory(NetworkFactory)
    keywords = ""


class BusinessTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessTag

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Tag métier {n}")


class StructureFactory(factory.django.DjangoModelFactory):
    """A structure; with `parent=` it joins the parent's network and tree."""

    class Meta:
        model = Structure

    code = factory.Sequence(lambda n: f"STR-{n}")
    name = factory.Sequence(lambda n: f"Structure {n}")
    network = factory.LazyAttribute(lambda o: o.parent.network if o.parent else NetworkFactory())
    typology = factory.LazyAttribute(lambda o: TypologyFactory(network=o.network))
    parent = None
    postal_code = "75001"
    city = "PARIS"
    insee_department = "75"
    insee_region = "11"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.AGENT


class ExperienceFactory(factory.django.DjangoModelFactory):
    """A published experience by default; pass moderation_state to get another."""

    class Meta:
        model = Experience

    title = factory.Sequence(lambda n: f"Accueil de la préfecture n° {n}")
    description = DESCRIPTION
    feeling = Feeling.POSITIVE
    author_type = AuthorType.CONCERNED
    pseudonym = factory.Sequence(lambda n: f"Usager{n}")
    author_email = factory.Sequence(lambda n: f"usager{n}@example.org")
    department_id = "75"
    region_id = "11"
    postal_code = "75011"
    moderation_state = ModerationState.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() - datetime.timedelta(days=1) if o.moderation_state == ModerationState.PUBLISHED else None
        )
    )


class ExperienceTypologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceTypology

    experience = factory.SubFactory(ExperienceFactory)
    position = factory.LazyAttribute(lambda o: o.experience.typologies.count() + 1)
    typology = factory.SubFactory(TypologyFactory)


class ExperienceChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceChannel

    experience_typology = factory.SubFactory(ExperienceTypologyFactory)
    channel = "desk"
    feeling = Feeling.POSITIVE


class GeneralTagValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GeneralTagValue

    experience = factory.SubFactory(ExperienceFactory)
    tag = GeneralTag.RELATION
    value = Feeling.POSITIVE


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    experience = factory.SubFactory(ExperienceFactory)
    structure = factory.SubFactory(StructureFactory)
    position = factory.LazyAttribute(lambda o: o.experience.assignments.count() + 1)
    published_at = factory.SelfAttribute("experience.published_at")
    feeling = factory.SelfAttribute("experience.feeling")
    # The default target (72 h) from publication, as routing sets it.
    due_at = factory.LazyAttribute(lambda o: o.published_at and o.published_at + datetime.timedelta(hours=72))
    escalate_at = factory.LazyAttribute(lambda o: o.published_at and o.published_at + datetime.timedelta(hours=144))


class ResponseFactory(factory.django.DjangoModelFactory):
    """A published response on its own assignment."""

    class Meta:
        model = Response

    assignment = factory.SubFactory(AssignmentFactory, response_status=ResponseStatus.ANSWERED)
    author = factory.SubFactory(UserFactory)
    body = "Merci pour votre retour, nous l'avons transmis à l'équipe d'accueil."
    formula = "Cordialement,"
    signature = "Le service d'accueil"
    state = ResponseState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ResponseVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponseVote

    response = factory.SubFactory(ResponseFactory)
    visitor_key = factory.Sequence(lambda n: f"visitor-{n}")
    is_useful = True


class AuthorEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorEvaluation

    response = factory.SubFactory(ResponseFactory)
    is_useful = True


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    experience = factory.SubFactory(ExperienceFactory)
    author = factory.SubFactory(UserFactory)
    body = "Je m'en occupe, je reviens vers vous demain."


class ImprovementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementAction

    structure = factory.SubFactory(StructureFactory)
    title = "Affichage des horaires à l'entrée"
    description = "Les horaires d'ouverture sont désormais affichés à l'entrée et sur le site."
    engaged_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))


class TransferRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransferRequest

    experience = factory.SubFactory(ExperienceFactory)
    from_structure = factory.SubFactory(StructureFactory)
    to_structure = factory.SubFactory(StructureFactory)
    reason = "Cette expérience concerne le service des titres, pas l'accueil."
    requested_by = factory.SubFactory(UserFactory)


class QuestionnaireVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireVersion

    number = factory.Sequence(lambda n: 100 + n)
    title = "Questionnaire d'essai"


class DiagnosticFactory(factory.django.DjangoModelFactory):
    """A draft on the questionnaire the migration loads (version 1)."""

    class Meta:
        model = Diagnostic

    structure = factory.SubFactory(StructureFactory)
    # The migration's questionnaire; loaded again after a browser test's live server emptied the tables.
    version = factory.LazyFunction(lambda: load_questionnaire(QuestionnaireVersion, Question))

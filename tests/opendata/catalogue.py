"""Demo-like data for the open-data tests: every column of every file has something to say."""

import datetime
from decimal import Decimal

from django.utils import timezone

from actions.models import ImprovementActionStatus
from experiences.models import ExperienceStatus, Feeling, GeneralTag, ModerationState, ResponseStatus
from tests.factories import (
    AssignmentFactory,
    AuthorEvaluationFactory,
    BusinessTagFactory,
    ExperienceChannelFactory,
    ExperienceFactory,
    ExperienceTypologyFactory,
    GeneralTagValueFactory,
    ImprovementActionFactory,
    NetworkFactory,
    ResponseFactory,
    StructureFactory,
    TypologyFactory,
)
from tests.transparency.factories import IndicatorFactory, ResultFactory

AT = datetime.datetime(2025, 3, 14, 9, 26, tzinfo=datetime.UTC)


def build_catalogue() -> dict:
    network = NetworkFactory(name="RÉSEAU DES PRÉFECTURES")
    root = StructureFactory(code="PREF-ROOT", name="Préfectures", network=network, insee_department="",
                            insee_region="", postal_code="", city="")  # fmt: skip
    lyon = StructureFactory(
        code="PREF-69", name="Préfecture du Rhône", parent=root, public_name="Préfecture de Lyon",
        address="18 rue de Bonnel", address_complement="Bâtiment « A »; 2e étage", postal_code="69003",
        city="LYON", insee_commune="69383", insee_department="69", insee_region="84", insee_arrondissement="691",
        website="https://www.rhone.gouv.fr", mailbox="pref@rhone.gouv.fr", tracking_key="pref69",
        description="Accueil des étrangers ;\nguichet des permis.",
    )  # fmt: skip
    consulate = StructureFactory(code="CONS-DE", name="Consulat à Berlin", parent=root, country="DE",
                                 postal_code="10117", city="Berlin", insee_department="", insee_region="",
                                 is_active=False)  # fmt: skip
    outside = StructureFactory(code="HORS", name="Hors-structures", insee_department="", insee_region="")
    indicator = IndicatorFactory(network=None, code="IND-900", sources_and_methods="Enquête ; annuelle")
    ResultFactory(structure=lyon, indicator=indicator, value=Decimal("98.500"))
    ResultFactory(structure=lyon, indicator=indicator, period="2024", value=Decimal("7"),
                  period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31))  # fmt: skip
    typology = lyon.typology
    other_typology = TypologyFactory(network=network, name="Sous-préfecture")
    full = _full_experience(lyon, consulate, typology, other_typology, network)
    outside_experience = ExperienceFactory(is_outside_structures=True, feeling=Feeling.NEUTRAL, country="MG",
                                           department_id=None, region_id=None, published_at=AT)  # fmt: skip
    ExperienceTypologyFactory(experience=outside_experience, typology=None, organism_name="Ambassade",
                              country="", postal_code="")  # fmt: skip
    AssignmentFactory(experience=outside_experience, structure=outside)
    hidden = [
        ExperienceFactory(moderation_state=state, title=f"Texte non publié {state}")
        for state in (ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY)
    ]
    return {"lyon": lyon, "full": full, "outside": outside_experience, "hidden": hidden}


def _full_experience(lyon, consulate, typology, other_typology, network):
    experience = ExperienceFactory(
        title="Renouvellement du titre ; « rapide »", published_at=AT, status=ExperienceStatus.ACTION_DONE,
        me_too_count=4, first_response_at=AT + datetime.timedelta(hours=30), feeling=Feeling.NEGATIVE,
        description="Première ligne.\nDeuxième ligne avec des « guillemets » et un point-virgule ; voilà.",
    )  # fmt: skip
    first = ExperienceTypologyFactory(experience=experience, typology=typology, postal_code="69003")
    second = ExperienceTypologyFactory(experience=experience, typology=other_typology, postal_code="")
    for channel in ("phone", "desk", "online"):
        ExperienceChannelFactory(experience_typology=first, channel=channel)
    ExperienceChannelFactory(experience_typology=second, channel="email")
    first.business_tags.add(BusinessTagFactory(network=network, name="Titre de séjour"),
                            BusinessTagFactory(network=network, name="Rendez-vous"))  # fmt: skip
    second.business_tags.add(BusinessTagFactory(network=network, name="Naturalisation"))
    GeneralTagValueFactory(experience=experience, tag=GeneralTag.RELATION, value=Feeling.NEGATIVE)
    GeneralTagValueFactory(experience=experience, tag=GeneralTag.REACTIVITY, value=Feeling.NEUTRAL)
    answered = AssignmentFactory(experience=experience, structure=lyon, response_status=ResponseStatus.ANSWERED,
                                 needs_improvement=True)  # fmt: skip
    response = ResponseFactory(assignment=answered, visitor_useful_count=3, visitor_not_useful_count=1,
                               published_at=timezone.now())  # fmt: skip
    AuthorEvaluationFactory(response=response, is_useful=False)
    AssignmentFactory(experience=experience, structure=consulate, response_status=ResponseStatus.PENDING_VALIDATION)
    action = ImprovementActionFactory(
        structure=lyon, title="Plus de créneaux", description="Plus de créneaux le samedi matin.",
        status=ImprovementActionStatus.DONE, is_public=True, engaged_on=datetime.date(2025, 4, 1),
        done_on=datetime.date(2025, 6, 2),
    )  # fmt: skip
    experience.improvement_actions.add(action)
    experience.improvement_actions.add(ImprovementActionFactory(structure=lyon, title="Brouillon", is_public=False))
    return experience

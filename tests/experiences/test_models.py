"""Invariants of experiences and what hangs off them (seed 000), enforced by the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, connection
from django.utils import timezone

from actions.models import ImprovementActionStatus
from experiences.models import (
    PUBLIC_ID_MAX,
    PUBLIC_ID_MIN,
    Channel,
    Experience,
    ExperienceState,
    ExperienceStatus,
    Feeling,
    GeneralTag,
    MeToo,
    ModerationState,
    ResponseState,
    ResponseStatus,
    TransferDecision,
)
from tests.factories import (
    AssignmentFactory,
    AuthorEvaluationFactory,
    CommentFactory,
    ExperienceChannelFactory,
    ExperienceFactory,
    ExperienceTypologyFactory,
    GeneralTagValueFactory,
    ImprovementActionFactory,
    ResponseFactory,
    ResponseVoteFactory,
    StructureFactory,
    TransferRequestFactory,
)
from tests.helpers import refused_by_database

pytestmark = pytest.mark.django_db

skip_on_sqlite = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite does not enforce varchar lengths: only full_clean refuses"
)


def me_too(experience=None, visitor_key: str = "empreinte-1") -> MeToo:
    return MeToo.objects.create(experience=experience or ExperienceFactory(), visitor_key=visitor_key)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


# --- public id (seed 000: « code à 6 chiffres »; the real data also holds 7 digits) -------------


@pytest.mark.parametrize("public_id", [100_000, 999_999, 1_000_000, 9_999_999])
def test_public_id_of_6_or_7_digits_is_accepted(public_id):
    ExperienceFactory(public_id=public_id)

    assert Experience.objects.filter(public_id=public_id).exists()


@pytest.mark.parametrize("public_id", [99_999, 10_000_000])
def test_public_id_outside_6_or_7_digits_is_refused(public_id):
    with refused_by_database("experience_public_id_6_or_7_digits"):
        ExperienceFactory(public_id=public_id)


def test_public_id_is_unique():
    ExperienceFactory(public_id=123_456)

    with refused_by_database():
        ExperienceFactory(public_id=123_456)


def test_new_experience_gets_a_public_id_in_range():
    experience = ExperienceFactory()

    assert PUBLIC_ID_MIN <= experience.public_id <= PUBLIC_ID_MAX


def test_new_public_ids_are_random_not_sequential():
    first, second = ExperienceFactory(), ExperienceFactory()

    # Sequential ids would reveal the volume and invite enumeration (1 chance in ~5 million to collide).
    assert abs(first.public_id - second.public_id) > 1


# --- title and description (seed 000: title ≤ 230; historical descriptions up to 10,000) --------


def test_title_of_230_characters_is_accepted():
    experience = ExperienceFactory(title="t" * 230)

    experience.full_clean()


def test_title_longer_than_230_is_refused_by_full_clean():
    experience = ExperienceFactory.build(title="t" * 231)

    with pytest.raises(ValidationError) as refusal:
        experience.full_clean()
    assert list(refusal.value.error_dict) == ["title"]


@pytest.mark.postgres
@skip_on_sqlite
def test_title_longer_than_230_is_refused_by_the_database():
    with refused_by_database(errors=DataError):
        ExperienceFactory(title="t" * 231)


def test_description_of_10000_characters_is_accepted():
    ExperienceFactory(description="d" * 10_000)


def test_description_longer_than_10000_is_refused_by_the_database():
    with refused_by_database("experience_description_max_length"):
        ExperienceFactory(description="d" * 10_001)


# --- closed lists and publication -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "constraint"),
    [
        ("feeling", "experience_feeling_valid"),
        ("author_type", "experience_author_type_valid"),
        ("moderation_state", "experience_moderation_state_valid"),
        ("status", "experience_status_valid"),
    ],
)
def test_experience_value_outside_its_closed_list_is_refused(field, constraint):
    with refused_by_database(constraint):
        ExperienceFactory(**{field: "bogus"})


def test_published_experience_must_have_a_publication_date():
    with refused_by_database("experience_published_has_date"):
        ExperienceFactory(moderation_state=ModerationState.PUBLISHED, published_at=None)


@pytest.mark.parametrize(
    "status", [ExperienceStatus.ANSWERED, ExperienceStatus.ACTION_ENGAGED, ExperienceStatus.ACTION_DONE]
)
@pytest.mark.parametrize(
    "moderation_state", [ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY]
)
def test_unpublished_experience_cannot_have_a_status_beyond_awaiting(moderation_state, status):
    with refused_by_database("experience_status_needs_publication"):
        ExperienceFactory(moderation_state=moderation_state, status=status)


@pytest.mark.parametrize(
    ("status", "state", "label"),
    [
        (ExperienceStatus.AWAITING, ExperienceState.TO_PROCESS, "À traiter"),
        (ExperienceStatus.ANSWERED, ExperienceState.PROCESSED, "Traitée"),
        (ExperienceStatus.ACTION_ENGAGED, ExperienceState.PROCESSED, "Traitée"),
        (ExperienceStatus.ACTION_DONE, ExperienceState.PROCESSED, "Traitée"),
    ],
)
def test_state_is_to_process_while_awaiting_and_processed_otherwise(status, state, label):
    experience = ExperienceFactory(status=status)

    assert experience.state == state
    assert experience.get_state_display() == label
    assert list(Experience.objects.with_state(state)) == [experience]


# --- refresh_status: answers and improvement actions (seed 000) -----------------------------------


@pytest.mark.parametrize(
    ("response_status", "expected"),
    [
        (ResponseStatus.AWAITING, ExperienceStatus.AWAITING),
        (ResponseStatus.PENDING_VALIDATION, ExperienceStatus.AWAITING),
        (ResponseStatus.ANSWERED, ExperienceStatus.ANSWERED),
        (ResponseStatus.MODIFIED_NOTIFIED, ExperienceStatus.ANSWERED),
        (ResponseStatus.UNPUBLISHED, ExperienceStatus.AWAITING),
        (ResponseStatus.ADOPTED, ExperienceStatus.ANSWERED),
    ],
)
def test_refresh_status_follows_the_response_status(response_status, expected):
    experience = AssignmentFactory(response_status=response_status).experience

    experience.refresh_status()

    experience.refresh_from_db()
    assert experience.status == expected


def test_refresh_status_counts_one_answered_structure_among_several():
    experience = AssignmentFactory(response_status=ResponseStatus.AWAITING).experience
    AssignmentFactory(experience=experience, response_status=ResponseStatus.ANSWERED)

    experience.refresh_status()

    assert Experience.objects.get(pk=experience.pk).status == ExperienceStatus.ANSWERED


def test_refresh_status_returns_to_awaiting_when_the_answer_is_unpublished():
    assignment = AssignmentFactory(response_status=ResponseStatus.ANSWERED)
    assignment.experience.refresh_status()
    assignment.response_status = ResponseStatus.UNPUBLISHED
    assignment.save()

    assignment.experience.refresh_status()

    assert Experience.objects.get(pk=assignment.experience.pk).status == ExperienceStatus.AWAITING


@pytest.mark.parametrize(
    ("action_statuses", "expected"),
    [
        ([ImprovementActionStatus.ENGAGED], ExperienceStatus.ACTION_ENGAGED),
        ([ImprovementActionStatus.DONE], ExperienceStatus.ACTION_DONE),
        ([ImprovementActionStatus.ENGAGED, ImprovementActionStatus.DONE], ExperienceStatus.ACTION_DONE),
    ],
)
def test_refresh_status_follows_linked_improvement_actions(action_statuses, expected):
    assignment = AssignmentFactory(response_status=ResponseStatus.ANSWERED)
    for status in action_statuses:
        done_on = timezone.localdate() if status == ImprovementActionStatus.DONE else None
        action = ImprovementActionFactory(
            structure=assignment.structure, status=status, done_on=done_on, is_public=True, published_at=timezone.now()
        )
        action.experiences.add(assignment.experience)

    assignment.experience.refresh_status()

    assert Experience.objects.get(pk=assignment.experience.pk).status == expected


def test_refresh_status_ignores_an_action_not_yet_published():
    assignment = AssignmentFactory(response_status=ResponseStatus.ANSWERED)
    ImprovementActionFactory(structure=assignment.structure).experiences.add(assignment.experience)

    assignment.experience.refresh_status()

    assert Experience.objects.get(pk=assignment.experience.pk).status == ExperienceStatus.ANSWERED


def test_refresh_status_ignores_improvement_actions_linked_to_other_experiences():
    assignment = AssignmentFactory(response_status=ResponseStatus.ANSWERED)
    action = ImprovementActionFactory(structure=assignment.structure)
    action.experiences.add(ExperienceFactory())

    assignment.experience.refresh_status()

    assert Experience.objects.get(pk=assignment.experience.pk).status == ExperienceStatus.ANSWERED


def test_refresh_status_keeps_an_unpublished_experience_awaiting():
    experience = ExperienceFactory(moderation_state=ModerationState.SUBMITTED)
    AssignmentFactory(experience=experience, response_status=ResponseStatus.ANSWERED)

    experience.refresh_status()

    assert Experience.objects.get(pk=experience.pk).status == ExperienceStatus.AWAITING


# --- typologies and structures: 1 to 3 each (seed 000) --------------------------------------------


def test_experience_accepts_three_typologies():
    experience = ExperienceFactory()
    ExperienceTypologyFactory.create_batch(3, experience=experience)

    assert experience.typologies.count() == 3


@pytest.mark.parametrize("position", [0, 4])
def test_typology_position_outside_one_to_three_is_refused(position):
    with refused_by_database("experience_typology_at_most_3"):
        ExperienceTypologyFactory(position=position)


def test_fourth_typology_is_refused():
    experience = ExperienceFactory()
    ExperienceTypologyFactory.create_batch(3, experience=experience)

    with refused_by_database("experience_typology_at_most_3"):
        ExperienceTypologyFactory(experience=experience)


def test_typology_position_is_unique_per_experience():
    first = ExperienceTypologyFactory(position=1)

    with refused_by_database():
        ExperienceTypologyFactory(experience=first.experience, position=1)


def test_same_typology_twice_on_an_experience_is_refused():
    first = ExperienceTypologyFactory()

    with refused_by_database():
        ExperienceTypologyFactory(experience=first.experience, typology=first.typology)


def test_typology_needs_a_typology_or_an_organism_name():
    with refused_by_database("experience_typology_named"):
        ExperienceTypologyFactory(typology=None, organism_name="")


def test_typologies_typed_by_the_citizen_may_be_several():
    experience = ExperienceFactory()
    ExperienceTypologyFactory(experience=experience, typology=None, organism_name="Mairie de Lyon")
    ExperienceTypologyFactory(experience=experience, typology=None, organism_name="CAF du Rhône")

    assert experience.typologies.count() == 2


def test_experience_accepts_three_structures():
    experience = ExperienceFactory()
    AssignmentFactory.create_batch(3, experience=experience)

    assert experience.assignments.count() == 3


def test_fourth_structure_is_refused():
    experience = ExperienceFactory()
    AssignmentFactory.create_batch(3, experience=experience)

    with refused_by_database("assignment_at_most_3_structures"):
        AssignmentFactory(experience=experience)


def test_same_structure_twice_on_an_experience_is_refused():
    first = AssignmentFactory()

    with refused_by_database():
        AssignmentFactory(experience=first.experience, structure=first.structure)


def test_assignment_position_is_unique_per_experience():
    first = AssignmentFactory(position=1)

    with refused_by_database():
        AssignmentFactory(experience=first.experience, position=1)


def test_assignment_feeling_outside_the_list_is_refused():
    # The feeling copied onto each routing feeds the dashboards: it keeps the experience's closed list.
    with refused_by_database("assignment_feeling_valid"):
        AssignmentFactory(feeling="bogus")


def test_assignment_response_status_outside_the_list_is_refused():
    with refused_by_database("assignment_response_status_valid"):
        AssignmentFactory(response_status="bogus")


# --- channels and tags ------------------------------------------------------------------------------


def test_channels_are_the_ten_of_seed_000():
    assert len(Channel.values) == 10


@pytest.mark.parametrize("channel", Channel.values)
def test_every_channel_of_the_list_is_accepted(channel):
    ExperienceChannelFactory(channel=channel)


def test_channel_outside_the_list_is_refused():
    with refused_by_database("channel_valid"):
        ExperienceChannelFactory(channel="fax")


def test_channel_once_per_typology():
    first = ExperienceChannelFactory(channel=Channel.PHONE)

    with refused_by_database():
        ExperienceChannelFactory(experience_typology=first.experience_typology, channel=Channel.PHONE)


def test_channel_feeling_outside_the_list_is_refused():
    with refused_by_database("channel_feeling_valid"):
        ExperienceChannelFactory(feeling="bogus")


def test_same_channel_on_two_typologies_is_accepted():
    first = ExperienceChannelFactory(channel=Channel.PHONE)
    other = ExperienceTypologyFactory(experience=first.experience_typology.experience)

    ExperienceChannelFactory(experience_typology=other, channel=Channel.PHONE)


def test_general_tags_are_the_five_of_the_real_export():
    assert GeneralTag.labels == [
        "Accessibilité",
        "Information/Explication",
        "Relation",
        "Réactivité",
        "Simplicité/Complexité",
    ]


@pytest.mark.parametrize("value", Feeling.values)
def test_general_tag_takes_positive_neutral_or_negative(value):
    tag = GeneralTagValueFactory(value=value)

    assert tag.get_value_display() in {"Positif", "Neutre", "Négatif"}


def test_general_tag_value_outside_the_list_is_refused():
    with refused_by_database("general_tag_value_valid"):
        GeneralTagValueFactory(value="bogus")


def test_general_tag_outside_the_list_is_refused():
    with refused_by_database("general_tag_valid"):
        GeneralTagValueFactory(tag="bogus")


def test_general_tag_once_per_experience():
    first = GeneralTagValueFactory(tag=GeneralTag.RELATION)

    with refused_by_database():
        GeneralTagValueFactory(experience=first.experience, tag=GeneralTag.RELATION, value=Feeling.NEGATIVE)


# --- responses ------------------------------------------------------------------------------------


def test_response_needs_a_body_unless_it_adopts():
    with refused_by_database("response_has_body_or_adopts"):
        ResponseFactory(body="")


def test_response_adopting_another_needs_no_body():
    adopted = ResponseFactory()
    other = AssignmentFactory(experience=adopted.assignment.experience, response_status=ResponseStatus.ADOPTED)

    adoption = ResponseFactory(assignment=other, body="", adopted_from=adopted)

    assert adoption.adopted_from == adopted


def test_response_cannot_adopt_itself():
    response = ResponseFactory()
    response.adopted_from = response

    with refused_by_database("response_not_adopting_itself"):
        response.save()


def test_published_response_must_have_a_publication_date():
    with refused_by_database("response_published_has_date"):
        ResponseFactory(state=ResponseState.PUBLISHED, published_at=None)


def test_draft_response_needs_no_publication_date():
    response = ResponseFactory(state=ResponseState.DRAFT, published_at=None)

    assert not response.is_published


def test_response_state_outside_the_list_is_refused():
    with refused_by_database("response_state_valid"):
        ResponseFactory(state="bogus")


def test_one_response_per_assignment():
    first = ResponseFactory()

    with refused_by_database():
        ResponseFactory(assignment=first.assignment)


# --- votes, « moi aussi », author's evaluation ------------------------------------------------------


def test_visitor_votes_once_per_response():
    vote = ResponseVoteFactory(visitor_key="empreinte-1")

    with refused_by_database():
        ResponseVoteFactory(response=vote.response, visitor_key="empreinte-1", is_useful=False)


def test_two_visitors_vote_on_the_same_response():
    vote = ResponseVoteFactory(visitor_key="empreinte-1")
    ResponseVoteFactory(response=vote.response, visitor_key="empreinte-2")

    assert vote.response.votes.count() == 2


def test_visitor_says_me_too_once_per_experience():
    first = me_too()

    with refused_by_database():
        me_too(first.experience)


def test_same_visitor_says_me_too_on_two_experiences():
    me_too()
    me_too()

    assert MeToo.objects.filter(visitor_key="empreinte-1").count() == 2


def test_author_evaluates_a_response_once():
    evaluation = AuthorEvaluationFactory()

    with refused_by_database():
        AuthorEvaluationFactory(response=evaluation.response, is_useful=False)


def test_comment_cannot_be_empty():
    with refused_by_database("comment_not_empty"):
        CommentFactory(body="")


# --- improvement actions ------------------------------------------------------------------------------


def test_done_improvement_action_needs_a_done_date():
    with refused_by_database("improvement_action_done_has_date"):
        ImprovementActionFactory(status=ImprovementActionStatus.DONE, done_on=None)


def test_improvement_action_cannot_be_done_before_it_was_engaged():
    with refused_by_database("improvement_action_done_after_engaged"):
        ImprovementActionFactory(status=ImprovementActionStatus.DONE, engaged_on=days_ago(5), done_on=days_ago(6))


def test_improvement_action_can_be_done_the_day_it_was_engaged():
    ImprovementActionFactory(status=ImprovementActionStatus.DONE, engaged_on=days_ago(5), done_on=days_ago(5))


def test_improvement_action_status_outside_the_list_is_refused():
    with refused_by_database("improvement_action_status_valid"):
        ImprovementActionFactory(status="bogus")


# --- transfer requests (seed 001 q22) -------------------------------------------------------------------


def test_transfer_request_needs_a_reason():
    with refused_by_database("transfer_reason_required"):
        TransferRequestFactory(reason="")


def test_transfer_request_to_the_same_structure_is_refused():
    structure = StructureFactory()

    with refused_by_database("transfer_to_another_structure"):
        TransferRequestFactory(from_structure=structure, to_structure=structure)


def test_transfer_decision_outside_the_list_is_refused():
    with refused_by_database("transfer_decision_valid"):
        TransferRequestFactory(decision="bogus")


def test_only_one_pending_transfer_request_per_experience_and_origin():
    first = TransferRequestFactory()

    with refused_by_database():
        TransferRequestFactory(experience=first.experience, from_structure=first.from_structure)


@pytest.mark.parametrize("decision", [TransferDecision.ACCEPTED, TransferDecision.REFUSED])
def test_new_transfer_request_is_accepted_once_the_previous_is_decided(decision):
    first = TransferRequestFactory(decision=decision)

    TransferRequestFactory(experience=first.experience, from_structure=first.from_structure)


def test_two_origins_may_each_have_a_pending_transfer_request():
    first = TransferRequestFactory()

    TransferRequestFactory(experience=first.experience)

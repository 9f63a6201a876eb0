"""Experiences shared by citizens and their lifecycle: share → moderate → route → answer (seed 000).

One concern per module; every model and closed list is re-exported here, the place Django and the
rest of the project import them from.
"""

from .activity import Activity, ActivityVerb, Comment
from .assignments import Assignment, AssignmentQuerySet, TransferDecision, TransferRequest
from .choices import (
    ANSWERED_STATUSES,
    DESCRIPTION_MAX_LENGTH,
    DESCRIPTION_MIN_LENGTH,
    HISTORICAL_DESCRIPTION_MAX_LENGTH,
    MAX_STRUCTURES,
    MAX_TYPOLOGIES,
    PUBLIC_ID_MAX,
    PUBLIC_ID_MIN,
    TITLE_MAX_LENGTH,
    UNANSWERED_STATUSES,
    AuthorType,
    Channel,
    ExperienceState,
    ExperienceStatus,
    Feeling,
    GeneralTag,
    ModerationState,
    ResponseStatus,
)
from .experience import (
    Experience,
    ExperienceChannel,
    ExperienceQuerySet,
    ExperienceTypology,
    GeneralTagValue,
    new_public_id,
)
from .feedback import AuthorEvaluation, MeToo, ResponseVote
from .improvement_actions import ImprovementActionLink
from .moderation import ExperienceEdit, ExperienceToModerate, ModerationAction, ModerationDecision, RejectionReason
from .responses import Response, ResponseState
from .visits import ShareVisit

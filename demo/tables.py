"""The tables the generator fills, with the columns it generates, in the order rows are built and written.

Parents come before children, so a chunk can be written table by table in this order.
"""

from actions.models import ImprovementAction
from experiences.models import (
    Assignment,
    AuthorEvaluation,
    Comment,
    Experience,
    ExperienceChannel,
    ExperienceTypology,
    GeneralTagValue,
    MeToo,
    Response,
    ResponseVote,
    TransferRequest,
)


def _through_columns(through) -> tuple[str, ...]:
    return tuple(f.column for f in through._meta.concrete_fields)


EXPERIENCE_COLUMNS = (
    "id",
    "public_id",
    "title",
    "description",
    "feeling",
    "author_type",
    "pseudonym",
    "author_email",
    "department_id",
    "region_id",
    "postal_code",
    "country",
    "country_insee_code",
    "source",
    "campaign",
    "arrival_channel",
    "moderation_state",
    "rejection_reason",
    "moderated_by_id",
    "moderated_at",
    "submitted_at",
    "published_at",
    "first_response_at",
    "status",
    "me_too_count",
    "is_historical",
    "updated_at",
    "personal_data_flags",
)
ASSIGNMENT_COLUMNS = (
    "id",
    "experience_id",
    "structure_id",
    "position",
    "response_status",
    "needs_improvement",
    "published_at",
    "feeling",
    "first_response_at",
    "assigned_at",
)
RESPONSE_COLUMNS = (
    "id",
    "assignment_id",
    "author_id",
    "body",
    "formula",
    "signature",
    "state",
    "adopted_from_id",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
    "published_by_id",
    "unpublished_at",
    "modified_at",
    "visitor_useful_count",
    "visitor_not_useful_count",
)
ACTION_COLUMNS = (
    "id",
    "structure_id",
    "title",
    "description",
    "status",
    "engaged_on",
    "done_on",
    "is_public",
    "published_at",
    "created_by_id",
    "created_at",
    "updated_at",
)
TRANSFER_COLUMNS = (
    "id",
    "experience_id",
    "from_structure_id",
    "to_structure_id",
    "reason",
    "requested_by_id",
    "requested_at",
    "decision",
    "decision_reason",
    "decided_by_id",
    "decided_at",
)

TABLES = {
    "experience": (Experience, EXPERIENCE_COLUMNS),
    "general_tag": (GeneralTagValue, ("id", "experience_id", "tag", "value")),
    "typology": (
        ExperienceTypology,
        ("id", "experience_id", "position", "typology_id", "organism_name", "postal_code", "country"),
    ),
    "typology_tag": (
        ExperienceTypology.business_tags.through,
        _through_columns(ExperienceTypology.business_tags.through),
    ),
    "channel": (ExperienceChannel, ("id", "experience_typology_id", "channel", "feeling")),
    "assignment": (Assignment, ASSIGNMENT_COLUMNS),
    "response": (Response, RESPONSE_COLUMNS),
    "vote": (ResponseVote, ("id", "response_id", "visitor_key", "is_useful", "created_at")),
    "author_evaluation": (AuthorEvaluation, ("id", "response_id", "is_useful", "created_at")),
    "me_too": (MeToo, ("id", "experience_id", "visitor_key", "created_at")),
    "comment": (Comment, ("id", "experience_id", "author_id", "structure_id", "body", "created_at")),
    "action": (ImprovementAction, ACTION_COLUMNS),
    "action_experience": (
        ImprovementAction.experiences.through,
        _through_columns(ImprovementAction.experiences.through),
    ),
    "transfer": (TransferRequest, TRANSFER_COLUMNS),
}
# Columns patched once answers and actions are known.
E_FIRST_RESPONSE = EXPERIENCE_COLUMNS.index("first_response_at")
E_STATUS = EXPERIENCE_COLUMNS.index("status")
E_ME_TOO = EXPERIENCE_COLUMNS.index("me_too_count")
E_PSEUDONYM = EXPERIENCE_COLUMNS.index("pseudonym")
E_TITLE = EXPERIENCE_COLUMNS.index("title")
E_DESCRIPTION = EXPERIENCE_COLUMNS.index("description")
A_NEEDS_IMPROVEMENT = ASSIGNMENT_COLUMNS.index("needs_improvement")

# French names for the summary, in writing order.
LABELS = {
    "experience": "expériences",
    "general_tag": "tags généraux",
    "typology": "typologies d'expériences",
    "typology_tag": "tags métier posés",
    "channel": "canaux de contact",
    "assignment": "orientations vers une structure",
    "response": "réponses",
    "vote": "évaluations des visiteurs",
    "author_evaluation": "évaluations des auteurs",
    "me_too": "« moi aussi »",
    "comment": "commentaires internes",
    "action": "actions d'amélioration",
    "action_experience": "liens action – expérience",
    "transfer": "demandes de transfert",
}

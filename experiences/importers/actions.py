"""The export's « Action » column: an improvement action of structure 1, linked to its experience.

Imported actions have no author (created_by stays empty): that is how a later import tells them from the
actions agents created on the platform, which it never touches.
"""

import datetime

from actions.models import ImprovementAction, ImprovementActionStatus
from common.bulk import Table, reserve_ids, write

ACTION_FIELDS = ["structure_id", "title", "description", "status", "engaged_on", "done_on"]


def action_values(
    *, structure_id: int, text: str, engaged_on: datetime.datetime, done_on: datetime.datetime | None
) -> dict:
    """The action's fields, shaped like `stored_actions` reads them back; its title is the text's first line."""
    title, limit = text.splitlines()[0], ImprovementAction._meta.get_field("title").max_length
    return {
        "structure_id": structure_id,
        "title": title if len(title) <= limit else title[: limit - 1] + "…",
        "description": text,
        "status": ImprovementActionStatus.DONE if done_on else ImprovementActionStatus.ENGAGED,
        "engaged_on": engaged_on.date(),
        "done_on": done_on and done_on.date(),
    }


def read_stored_actions(by_pk: dict[int, dict]) -> None:
    """Put each stored experience's imported action under its "action" part."""
    links = ImprovementAction.experiences.through.objects.filter(
        experience__in=by_pk, improvementaction__created_by=None
    )
    for values in links.values("experience_id", *[f"improvementaction__{name}" for name in ACTION_FIELDS]):
        parts = by_pk[values.pop("experience_id")]
        action = {name.removeprefix("improvementaction__"): value for name, value in values.items()}
        # Two imported actions cannot match one file row, so they differ.
        parts["action"] = action if parts["action"] is None else [parts["action"], action]


def delete_imported_actions(experience_ids: list[int]) -> None:
    ImprovementAction.objects.filter(experiences__in=experience_ids, created_by=None).delete()


def create_actions(items: list[tuple[int, dict | None]]) -> None:
    """One action per (experience pk, action values); it was public in the open data, hence `is_public`."""
    pairs = [(pk, values) for pk, values in items if values]
    action_ids = reserve_ids(ImprovementAction, len(pairs))
    columns = ("id", "is_public", *ACTION_FIELDS)
    write(
        Table(ImprovementAction, columns),
        [
            (action_id, True, *(values[f] for f in ACTION_FIELDS))
            for action_id, (_, values) in zip(action_ids, pairs, strict=True)
        ],
    )
    through = ImprovementAction.experiences.through
    write(
        Table(through, ("improvementaction_id", "experience_id")),
        [(action_id, pk) for action_id, (pk, _) in zip(action_ids, pairs, strict=True)],
    )

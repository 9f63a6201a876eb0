"""Demo of issue 20: response-time targets with a breach alert, 12 months beside siblings, an action's effect.

- Siblings of the agent's tax office (same regional direction, same typology) get two experiences a month
  over the last 12 months, so its public page compares it with them; the office gets a done, public action
  with enough experiences before and after it to read its effect.
- These experiences copy the texts of the real ones (imported, `is_historical`), answered without a text as
  the real export's are; the generated experiences keep their own rules.
- Every routing gets its due times; what passed them before today counts as already signalled (the daily
  digest tells of it), but one experience of the office has just passed its target: the breach alert goes out
  (to var/mail in `make run`).
"""

import datetime
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actions.models import ImprovementAction, ImprovementActionStatus
from experiences.models import (
    PUBLIC_ID_MAX,
    PUBLIC_ID_MIN,
    Assignment,
    Experience,
    ExperienceStatus,
    ExperienceTypology,
    Feeling,
    GeneralTag,
    GeneralTagValue,
    ModerationState,
    ResponseStatus,
)
from experiences.services.breaches import send_breach_alerts
from structures.models import DEFAULT_TARGET_HOURS, Structure

HOUR = datetime.timedelta(hours=1)
TARGET = datetime.timedelta(hours=DEFAULT_TARGET_HOURS)
PER_SIBLING_MONTH = 2
MAX_SIBLINGS = 12
# The office's action: engaged 150 days ago, done 120 days ago; its windows hold this many experiences each.
ACTION_ENGAGED_DAYS, ACTION_DONE_DAYS, PER_WINDOW = 150, 120, 24
NEGATIVE_BEFORE, NEGATIVE_AFTER = 0.6, 0.25
ACTION_TITLE = "Rappel sous 48 heures de chaque demande laissée au répondeur"
ACTION_DESCRIPTION = (
    "Chaque demande laissée sur le répondeur est rappelée sous 48 heures ouvrées par un agent de l'accueil, "
    "qui note la suite donnée. Les délais de rappel sont suivis chaque semaine en réunion de service."
)


# The authors' addresses of the experiences written here: they tell them from the imported real ones.
AUTHOR_EMAIL_PREFIX = "historique"


def targets_demo_experiences():
    return Experience.objects.filter(
        author_email__startswith=AUTHOR_EMAIL_PREFIX, author_email__endswith="@demo.spplus.fr"
    )


class _Writer:
    """Experiences copied from the real ones' texts, routed to one structure each, written in bulk."""

    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng, self.now = rng, now
        self.texts = list(
            Experience.objects.filter(is_historical=True, moderation_state=ModerationState.PUBLISHED)
            .order_by("public_id")
            .values_list("title", "description")[:60]
        )
        self.taken = set(Experience.objects.values_list("public_id", flat=True))
        self.pending: list[tuple] = []
        self.written = 0

    def add(self, structure: Structure, published_at: datetime.datetime, feeling: str, answered: bool, tag=False):
        self.pending.append((structure, published_at, feeling, answered, tag))

    def public_id(self) -> int:
        while True:
            candidate = self.rng.randint(PUBLIC_ID_MIN, PUBLIC_ID_MAX)
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate

    def write(self) -> list[Experience]:
        if not self.texts:
            return []
        rows = []
        for index, (structure, published_at, feeling, answered, _) in enumerate(self.pending):
            title, description = self.texts[index % len(self.texts)]
            first = published_at + self.rng.randint(2, 140) * HOUR if answered else None
            first = min(first, self.now - HOUR) if first else None
            rows.append(
                Experience(
                    public_id=self.public_id(),
                    title=title,
                    description=description,
                    feeling=feeling,
                    author_type="concerned",
                    pseudonym=f"Usager{self.written + index}",
                    author_email=f"{AUTHOR_EMAIL_PREFIX}{self.written + index}@demo.spplus.fr",
                    department_id=structure.insee_department or None,
                    source="direct",
                    moderation_state=ModerationState.PUBLISHED,
                    submitted_at=published_at - 2 * HOUR,
                    published_at=published_at,
                    first_response_at=first,
                    status=ExperienceStatus.ANSWERED if first else ExperienceStatus.AWAITING,
                    is_historical=True,
                )
            )
        experiences = Experience.objects.bulk_create(rows)
        typologies, assignments, tags = [], [], []
        for experience, (structure, _, _, _, tag) in zip(experiences, self.pending, strict=True):
            first = experience.first_response_at
            typologies.append(ExperienceTypology(experience=experience, position=1, typology_id=structure.typology_id))
            assignments.append(
                Assignment(
                    experience=experience,
                    structure=structure,
                    position=1,
                    response_status=ResponseStatus.ANSWERED
                    if experience.first_response_at
                    else ResponseStatus.AWAITING,
                    published_at=experience.published_at,
                    feeling=experience.feeling,
                    first_response_at=first,
                )
            )
            if tag:
                tags.append(GeneralTagValue(experience=experience, tag=GeneralTag.REACTIVITY, value=Feeling.NEGATIVE))
        ExperienceTypology.objects.bulk_create(typologies)
        Assignment.objects.bulk_create(assignments)
        GeneralTagValue.objects.bulk_create(tags)
        self.pending = []
        self.written += len(experiences)
        return experiences


def seed_targets_demo(local: Structure, agent, *, seed: int, now: datetime.datetime) -> dict[str, int]:
    rng = random.Random(seed + 20)
    with transaction.atomic():
        writer = _Writer(rng, now)
        siblings = _sibling_history(writer, local, rng, now)
        action = _action_with_before_and_after(writer, local, agent, rng, now)
        late = _just_late(writer, local)
        _due_times(now, keep=late)
    with transaction.atomic():
        # After the commit above, so `make run` finds the e-mail in var/mail.
        alerts = send_breach_alerts(now=timezone.now())
    return {"siblings": siblings, "action": action, "alerts": alerts}


def _months_back(now: datetime.datetime, count: int):
    for back in range(count):
        yield now - datetime.timedelta(days=30 * back + 5)


def _sibling_history(writer: _Writer, local: Structure, rng: random.Random, now: datetime.datetime) -> int:
    """Two experiences a month over 12 months for each sibling office (same parent, same typology)."""
    siblings = list(
        Structure.objects.filter(parent_id=local.parent_id, typology_id=local.typology_id)
        .exclude(pk=local.pk)
        .order_by("name", "code")[:MAX_SIBLINGS]
    )
    for sibling in siblings:
        answer_share = rng.uniform(0.55, 0.95)
        for month in _months_back(now, 12):
            for _ in range(PER_SIBLING_MONTH):
                published = month - rng.randint(0, 20) * datetime.timedelta(days=1) - rng.randint(0, 8) * HOUR
                feeling = rng.choice([Feeling.POSITIVE, Feeling.POSITIVE, Feeling.NEUTRAL, Feeling.NEGATIVE])
                writer.add(sibling, published, feeling, rng.random() < answer_share)
    return len(writer.write())


def _action_with_before_and_after(writer, local: Structure, agent, rng: random.Random, now) -> int:
    """A done, public action of the office with PER_WINDOW experiences in each window, fewer negatives after."""
    today = timezone.localdate(now)
    engaged = today - datetime.timedelta(days=ACTION_ENGAGED_DAYS)
    done = today - datetime.timedelta(days=ACTION_DONE_DAYS)
    window = datetime.timedelta(days=ACTION_DONE_DAYS)
    start_before = timezone.make_aware(datetime.datetime.combine(engaged - window, datetime.time(9)))
    start_after = timezone.make_aware(datetime.datetime.combine(done + datetime.timedelta(days=1), datetime.time(9)))
    for start, negative_share in ((start_before, NEGATIVE_BEFORE), (start_after, NEGATIVE_AFTER)):
        for index in range(PER_WINDOW):
            published = start + index * (window - datetime.timedelta(days=2)) / PER_WINDOW
            negative = rng.random() < negative_share
            feeling = Feeling.NEGATIVE if negative else rng.choice([Feeling.POSITIVE, Feeling.NEUTRAL])
            writer.add(local, published, feeling, True, tag=negative and rng.random() < 0.7)
    during = timezone.make_aware(datetime.datetime.combine(engaged - datetime.timedelta(days=3), datetime.time(9)))
    writer.add(local, during, Feeling.NEGATIVE, True, tag=True)
    written = writer.write()
    action = ImprovementAction.objects.create(
        structure=local,
        title=ACTION_TITLE,
        description=ACTION_DESCRIPTION,
        status=ImprovementActionStatus.DONE,
        engaged_on=engaged,
        done_on=done,
        is_public=True,
        published_at=now,
        created_by=agent,
    )
    if written:
        origin = written[-1]
        action.experiences.add(origin)
        Experience.objects.filter(pk=origin.pk).update(status=ExperienceStatus.ACTION_DONE)
    return len(written)


def _just_late(writer: _Writer, local: Structure) -> Assignment | None:
    """An experience of the office still awaiting its answer, published just over 72 hours ago."""
    published = timezone.now() - TARGET - 20 * datetime.timedelta(minutes=1)
    writer.add(local, published, Feeling.NEGATIVE, False)
    written = writer.write()
    return Assignment.objects.filter(experience=written[0]).first() if written else None


def _due_times(now: datetime.datetime, keep: Assignment | None) -> None:
    """The default target on every routing; what passed it before today was signalled by the digest."""
    routings = Assignment.objects.filter(published_at__isnull=False)
    routings.update(due_at=F("published_at") + TARGET, escalate_at=F("published_at") + 2 * TARGET)
    signalled = routings.exclude(pk=keep.pk) if keep is not None else routings
    signalled.filter(due_at__lte=timezone.now()).update(breach_notified_at=now)
    signalled.filter(escalate_at__lte=timezone.now()).update(escalation_notified_at=now)

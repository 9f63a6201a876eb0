"""The measured effect of a done improvement action (issue 20): the structure's experiences before and after.

Compared: the published experiences routed to the action's structure or its descendants, of the typologies
of the experiences the action is linked to (all typologies when it is linked to none) and, when the action
names general tags, carrying one of them (the tags table then shows those only), in the WINDOW_DAYS
before the action was engaged and the same number of days after it was done (fewer while the action is
recent: both windows then shrink alike, so the two periods stay comparable). Per window: the count, the share
of negative feelings and the general tags marked negative. Below MIN_EXPERIENCES on either side the page
says plainly that it cannot conclude.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q

from actions.models import ImprovementAction, ImprovementActionStatus
from experiences.models import Assignment, Experience, ExperienceTypology, Feeling, GeneralTag, GeneralTagValue
from experiences.selectors.public_pages import subtree_ids
from experiences.selectors.search import paris_midnight
from structures.models import Structure, Typology

WINDOW_DAYS = 182  # about six months
MIN_EXPERIENCES = 20
IMPACT_SECONDS = 600


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date  # included
    count: int
    negative: int
    tags: dict  # general tag label → experiences with it marked negative

    @property
    def negative_share(self) -> float | None:
        return 100 * self.negative / self.count if self.count else None


@dataclass(frozen=True)
class TagChange:
    label: str
    before: int
    after: int
    before_share: float | None
    after_share: float | None

    @property
    def difference(self) -> float | None:
        if self.before_share is None or self.after_share is None:
            return None
        return self.after_share - self.before_share


@dataclass(frozen=True)
class Impact:
    before: Window
    after: Window
    typologies: list  # names; empty means every typology
    tags: list  # [TagChange], the most cited first
    named_tags: list  # labels of the general tags the action names; empty means every experience

    @property
    def difference(self) -> float | None:
        """After minus before, in percentage points of negative feelings (negative: fewer negatives)."""
        if self.before.negative_share is None or self.after.negative_share is None:
            return None
        return self.after.negative_share - self.before.negative_share

    @property
    def enough(self) -> bool:
        return self.before.count >= MIN_EXPERIENCES and self.after.count >= MIN_EXPERIENCES


def cached_action_impact(action: ImprovementAction, today: datetime.date) -> Impact | None:
    """`action_impact`, kept IMPACT_SECONDS: for a structure with 98,000 routings it reads 13,000 experiences
    (0.8 s at a million, bench/scorecards.py). What the figures rest on is in the key (the action's dates,
    status and tags, the typologies of its linked experiences): an edit or a newly linked experience shows
    at once; experiences published since, within the same delay as the public scorecards."""
    typology_ids = compared_typology_ids(action)
    compared = (action.structure_id, action.status, action.engaged_on, action.done_on, action.named_tags, typology_ids)
    digest = hashlib.sha256(repr(compared).encode()).hexdigest()[:16]
    key = f"action-impact:v2:{action.pk}:{today.isoformat()}:{digest}"
    impact = cache.get(key)
    if impact is None:
        impact = action_impact(action, today, typology_ids=typology_ids)
        cache.set(key, impact, IMPACT_SECONDS)
    return impact


def compared_typology_ids(action: ImprovementAction) -> list[int]:
    """The typologies of the experiences the action is linked to (none: every typology is compared)."""
    return sorted(
        ExperienceTypology.objects.filter(experience__improvement_actions=action, typology__isnull=False)
        .values_list("typology_id", flat=True)
        .distinct()
    )


def action_impact(
    action: ImprovementAction, today: datetime.date, *, typology_ids: list[int] | None = None
) -> Impact | None:
    """None for an action not done, or done today or later (nothing to read after it yet)."""
    if action.status != ImprovementActionStatus.DONE or action.done_on is None or action.done_on >= today:
        return None
    days = min(WINDOW_DAYS, (today - action.done_on).days)
    before = (action.engaged_on - datetime.timedelta(days=days), action.engaged_on - datetime.timedelta(days=1))
    after = (action.done_on + datetime.timedelta(days=1), action.done_on + datetime.timedelta(days=days))
    if typology_ids is None:
        typology_ids = compared_typology_ids(action)
    experiences = _compared(action.structure, typology_ids, action.named_tags, before[0], after[1])
    in_before = _published_between(*before)
    in_after = _published_between(*after)
    negative = Q(feeling=Feeling.NEGATIVE)
    counts = experiences.aggregate(
        before=Count("pk", filter=in_before),
        before_negative=Count("pk", filter=in_before & negative),
        after=Count("pk", filter=in_after),
        after_negative=Count("pk", filter=in_after & negative),
    )
    negative_tags = GeneralTagValue.objects.filter(experience__in=experiences.values("pk"), value=Feeling.NEGATIVE)
    if action.named_tags:
        negative_tags = negative_tags.filter(tag__in=action.named_tags)
    tag_rows = (
        negative_tags.values("tag")
        .annotate(
            before=Count("pk", filter=_published_between(*before, prefix="experience__")),
            after=Count("pk", filter=_published_between(*after, prefix="experience__")),
        )
        .order_by()
    )
    labels = dict(GeneralTag.choices)
    tags = {row["tag"]: (row["before"], row["after"]) for row in tag_rows}
    windows = (
        Window(*before, counts["before"], counts["before_negative"], {t: b for t, (b, _) in tags.items()}),
        Window(*after, counts["after"], counts["after_negative"], {t: a for t, (_, a) in tags.items()}),
    )
    changes = [
        TagChange(
            label=labels.get(tag, tag),
            before=b,
            after=a,
            before_share=100 * b / windows[0].count if windows[0].count else None,
            after_share=100 * a / windows[1].count if windows[1].count else None,
        )
        for tag, (b, a) in sorted(tags.items(), key=lambda item: (-sum(item[1]), item[0]))
    ]
    names = sorted(Typology.objects.filter(pk__in=typology_ids).values_list("name", flat=True))
    named = [labels.get(tag, tag) for tag in action.named_tags]
    return Impact(before=windows[0], after=windows[1], typologies=names, tags=changes, named_tags=named)


def _compared(structure: Structure, typology_ids: list[int], tags: list[str], start: datetime.date, end: datetime.date):
    routed = Assignment.objects.filter(experience=OuterRef("pk"), structure__in=subtree_ids(structure))
    experiences = Experience.objects.published().filter(Exists(routed)).filter(_published_between(start, end))
    if typology_ids:
        typed = ExperienceTypology.objects.filter(experience=OuterRef("pk"), typology_id__in=typology_ids)
        experiences = experiences.filter(Exists(typed))
    if tags:
        tagged = GeneralTagValue.objects.filter(experience=OuterRef("pk"), tag__in=tags)
        experiences = experiences.filter(Exists(tagged))
    return experiences


def _published_between(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}published_at__gte": paris_midnight(start)}) & Q(
        **{f"{prefix}published_at__lt": paris_midnight(end + datetime.timedelta(days=1))}
    )

"""Dashboard figures (seed 003) against values computed by hand, and against a plain-Python recount of random data.

The expected values follow `dashboards.report.DEFINITIONS`; each hand-computed value shows its
arithmetic. Periods are in Europe/Paris on the publication date, the last day included; January and
February are winter time (UTC+1), so 23:59 on 28 February in Paris is 22:59 UTC and 00:01 on 1 March
is 23:01 UTC on 28 February.
"""

import datetime
import random
import zoneinfo
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from actions.models import ImprovementAction, ImprovementActionStatus
from dashboards.selectors.figures import DashboardScope, Delays, Evaluations
from dashboards.selectors.figures import dashboard as live_or_rolled_up
from dashboards.services.rollup import refresh_rollup
from experiences.models import (
    Assignment,
    AuthorEvaluation,
    Channel,
    Experience,
    ExperienceChannel,
    ExperienceTypology,
    Feeling,
    GeneralTag,
    GeneralTagValue,
    ModerationState,
    Response,
    ResponseState,
)
from structures.models import BusinessTag, Network, Structure
from tests import factories as f

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HOUR, DAY, MINUTE = datetime.timedelta(hours=1), datetime.timedelta(days=1), datetime.timedelta(minutes=1)
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 2, 28)
JANUARY, FEBRUARY = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
POS, NEU, NEG = Feeling.POSITIVE, Feeling.NEUTRAL, Feeling.NEGATIVE
ENGAGED, DONE = ImprovementActionStatus.ENGAGED, ImprovementActionStatus.DONE


def paris(year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def feeling_counts(positive=0, neutral=0, negative=0, none=None) -> dict:
    counts = {POS: positive, NEU: neutral, NEG: negative}
    return counts if none is None else {**counts, "": none}


def assert_same_delays(actual: Delays, expected: Delays, message: str = "") -> None:
    # Exact on both databases, the mean included (the database sums, Python divides the timedelta).
    assert actual == expected, message


def assert_same_ranking(actual: dict, expected: dict, message: str = "") -> None:
    assert actual.keys() == expected.keys(), message
    for key, delays in expected.items():
        assert_same_delays(actual[key], delays, f"{message} {key}")


def ranking_of(data) -> dict:
    """The ranking keyed by its rows (its order is not part of the definition), with each row's delays."""
    return {(row.key, row.label, row.code): row.delays for row in data.ranking}


# Every figure is checked three ways: all days live; all days from the daily rollup; and January from the
# rollup with later days live (the watermark on 31 January), which is how a real dashboard mixes them.
MODES = {
    "live": None,
    "rolled up": datetime.date(2026, 11, 23),
    "rolled up to 31 January": datetime.date(2026, 2, 1),
}


@pytest.fixture(
    params=[
        "live",
        pytest.param("rolled up", marks=pytest.mark.postgres),
        pytest.param("rolled up to 31 January", marks=pytest.mark.postgres),
    ]
)
def dashboard(request):
    """`dashboard(scope)`, after building the rollup (once, on the first call) in the rolled-up modes."""
    today, built = MODES[request.param], []

    def compute(scope):
        if today is not None and not built:
            built.append(refresh_rollup(full=True, today=today))
            assert built[0] > 0, "the rollup should hold the dataset's days"
        return live_or_rolled_up(scope)

    return compute


@pytest.fixture
def tree(structure_tree):
    """The shared tree with a grandchild under `child`: root → mine → child → grandchild; root → sibling."""
    grandchild = f.StructureFactory(parent=structure_tree["child"], name="Guichet de quartier")
    tree = {**structure_tree, "grandchild": grandchild}
    for structure in tree.values():
        structure.refresh_from_db()
    return tree


# --- The dataset built by hand -----------------------------------------------------------------


def shared(published_at, feeling, source="", **kwargs) -> Experience:
    return f.ExperienceFactory(published_at=published_at, feeling=feeling, source=source, **kwargs)


def routed(experience, structure, delay=None, *, flagged=False):
    first_response_at = None if delay is None else experience.published_at + delay
    return f.AssignmentFactory(
        experience=experience, structure=structure, first_response_at=first_response_at, needs_improvement=flagged
    )


def answered(assignment, useful=None, visitors=(0, 0), state=ResponseState.PUBLISHED):
    """A response on the routing, with the author's verdict (None: not evaluated) and the visitors' votes."""
    published_at = assignment.first_response_at if state == ResponseState.PUBLISHED else None
    response = f.ResponseFactory(
        assignment=assignment,
        state=state,
        published_at=published_at,
        visitor_useful_count=visitors[0],
        visitor_not_useful_count=visitors[1],
    )
    if useful is not None:
        f.AuthorEvaluationFactory(response=response, is_useful=useful)
    return response


def organism(experience, *channels, business=()):
    """One organism of the experience, with (channel, feeling) mentions and business tags."""
    typology = f.ExperienceTypologyFactory(experience=experience, typology=None, organism_name="Préfecture")
    for channel, feeling in channels:
        f.ExperienceChannelFactory(experience_typology=typology, channel=channel, feeling=feeling)
    typology.business_tags.add(*business)
    return typology


def tagged(experience, **values):
    for tag, value in values.items():
        f.GeneralTagValueFactory(experience=experience, tag=tag, value=value)


def action(structure, status, engaged_on, *experiences):
    done_on = engaged_on + datetime.timedelta(days=5) if status == DONE else None
    created = f.ImprovementActionFactory(structure=structure, status=status, engaged_on=engaged_on, done_on=done_on)
    created.experiences.add(*experiences)
    return created


@pytest.fixture
def known(tree):
    """Thirteen experiences; E9 and E10 fall just outside 2026-01-01..2026-02-28 in Paris, E11 just inside.

    E#   published (Paris)   feeling  source      routings (delay to first response; F = flagged)
    E1   01-05 09:00         pos      lien-suivi  mine 10 h
    E2   01-10 14:00         neg      —           mine 60 h F (linked to A1)
    E3   01-20 08:00         neg      qr-code     child 5 d F
    E4   01-31 23:30         neu      banniere    child 9 d                 (22:30 UTC: January)
    E5   02-01 00:30         pos      lien-suivi  mine 72 h exactly; child none F (E5 linked to A5)
                                                                            (31 Jan 23:30 UTC: February)
    E6   02-10 10:00         neg      —           sibling 10 h F
    E7   02-15 16:00         pos      qr-code     mine none (a draft response only)
    E8   02-28 23:59         neg      lien-suivi  mine none F              (22:59 UTC: last day, in)
    E9   03-01 00:01         neg      lien-suivi  mine 10 h F              (28 Feb 23:01 UTC: out)
    E10  2025-12-31 23:30    pos      banniere    child 10 h               (22:30 UTC: out)
    E11  01-01 00:15         neu      banniere    grandchild 60 h          (31 Dec 23:15 UTC: in)
    E12  01-15 12:00         pos      lien-suivi  foreign 5 d
    E13  02-05 11:00         neg      banniere    grandchild 9 d
    """
    mine, child, grandchild = tree["mine"], tree["child"], tree["grandchild"]
    sibling, foreign = tree["sibling"], tree["foreign"]
    welcome = f.BusinessTagFactory(network=mine.network, name="Accueil")
    slowness = f.BusinessTagFactory(network=mine.network, name="Délais")
    guidance = f.BusinessTagFactory(network=mine.network, name="Orientation")
    counter = f.BusinessTagFactory(network=foreign.network, name="Guichet")

    e1 = shared(paris(2026, 1, 5, 9), POS, "lien-suivi")
    answered(routed(e1, mine, 10 * HOUR), useful=True, visitors=(3, 1))
    organism(e1, (Channel.DESK, POS), (Channel.PHONE, NEU), business=[welcome])
    tagged(e1, relation=POS)

    e2 = shared(paris(2026, 1, 10, 14), NEG)
    answered(routed(e2, mine, 60 * HOUR, flagged=True), useful=True, visitors=(0, 2))
    organism(e2, (Channel.DESK, NEG), business=[welcome, slowness])
    tagged(e2, reactivity=NEG, relation=NEG)

    e3 = shared(paris(2026, 1, 20, 8), NEG, "qr-code")
    answered(routed(e3, child, 5 * DAY, flagged=True), useful=False)
    organism(e3, (Channel.EMAIL, NEG), business=[slowness])
    tagged(e3, relation=NEG)

    e4 = shared(paris(2026, 1, 31, 23, 30), NEU, "banniere")
    answered(routed(e4, child, 9 * DAY), visitors=(1, 0))
    organism(e4, (Channel.PHONE, ""))
    tagged(e4, information=NEU)

    e5 = shared(paris(2026, 2, 1, 0, 30), POS, "lien-suivi")
    answered(routed(e5, mine, 72 * HOUR))
    routed(e5, child, flagged=True)
    organism(e5, (Channel.DESK, POS), business=[welcome])
    organism(e5, (Channel.DESK, NEU), business=[welcome])
    tagged(e5, relation=POS)

    e6 = shared(paris(2026, 2, 10, 10), NEG)
    answered(routed(e6, sibling, 10 * HOUR, flagged=True), useful=False)
    organism(e6, (Channel.DESK, NEG), (Channel.ONLINE, NEG), business=[guidance])
    tagged(e6, reactivity=NEG)

    e7 = shared(paris(2026, 2, 15, 16), POS, "qr-code")
    answered(routed(e7, mine), state=ResponseState.DRAFT)
    organism(e7, (Channel.DESK, POS))

    e8 = shared(paris(2026, 2, 28, 23, 59), NEG, "lien-suivi")
    routed(e8, mine, flagged=True)
    tagged(e8, accessibility=NEG)

    e9 = shared(paris(2026, 3, 1, 0, 1), NEG, "lien-suivi")
    answered(routed(e9, mine, 10 * HOUR, flagged=True), useful=True, visitors=(7, 7))
    organism(e9, (Channel.DESK, NEG), business=[welcome])
    tagged(e9, relation=NEG)

    e10 = shared(paris(2025, 12, 31, 23, 30), POS, "banniere")
    answered(routed(e10, child, 10 * HOUR), useful=True)
    organism(e10, (Channel.PHONE, POS))

    e11 = shared(paris(2026, 1, 1, 0, 15), NEU, "banniere")
    answered(routed(e11, grandchild, 60 * HOUR), useful=True)
    organism(e11, (Channel.ONLINE, POS))
    tagged(e11, information=POS)

    e12 = shared(paris(2026, 1, 15, 12), POS, "lien-suivi")
    answered(routed(e12, foreign, 5 * DAY), useful=True, visitors=(5, 0))
    organism(e12, (Channel.PHONE, POS), business=[counter])
    tagged(e12, simplicity=POS)

    e13 = shared(paris(2026, 2, 5, 11), NEG, "banniere")
    answered(routed(e13, grandchild, 9 * DAY))
    organism(e13, (Channel.EMAIL, NEG), business=[slowness])
    tagged(e13, reactivity=NEG)

    # Not published: never counted, whatever its routing says.
    draft = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED, feeling=NEG)
    f.AssignmentFactory(experience=draft, structure=mine, needs_improvement=True)

    action(mine, ENGAGED, datetime.date(2026, 1, 15), e2)  # A1
    action(child, DONE, datetime.date(2026, 2, 1))  # A2
    action(mine, ENGAGED, datetime.date(2025, 12, 20))  # A3: before the period
    action(sibling, DONE, datetime.date(2026, 2, 28))  # A4: on the last day (done 5 March: state counts)
    action(foreign, ENGAGED, datetime.date(2026, 1, 10), e5)  # A5: another network's action on E5
    action(grandchild, ENGAGED, datetime.date(2026, 3, 1))  # A6: after the period
    action(grandchild, ENGAGED, datetime.date(2026, 1, 1))  # A7: on the first day
    return tree


def test_figures_of_a_structure_with_its_children_match_the_hand_count(known, dashboard):
    mine, child = known["mine"], known["child"]
    data = dashboard(DashboardScope(start=START, end=END, structure=mine, include_children=True))

    # Routings of mine, child, grandchild in the period: E1m E2m E3c E4c E5m E5c E7m E8m E11g E13g;
    # E9 (1 March 00:01) and E10 (31 Dec 23:30) are out.
    # Experiences: E1 E2 E3 E4 E5 E7 E8 E11 E13 = 9 (E5 routed twice counts once).
    assert data.published == 9
    # January: E1 E2 E3 E4 (31 Jan 23:30) E11 (1 Jan 00:15) = 5; February: E5 (1 Feb 00:30) E7 E8 E13 = 4.
    assert data.by_month == [(JANUARY, 5), (FEBRUARY, 4)]
    # 10 routings, 7 answered: 10 h, 60 h, 120 h, 216 h, 72 h, 60 h, 216 h (sum 754 h).
    # < 48 h: 10 h → 1; < 72 h: + 60 h, 60 h → 3 (72 h exactly is not under 72 h); < 7 d: + 120 h, 72 h → 5.
    # Median of 10, 60, 60, 72, 120, 216, 216 (7 values) = the 4th = 72 h.
    assert_same_delays(
        data.delays,
        Delays(
            routings=10,
            answered=7,
            under_48h=1,
            under_72h=3,
            under_7d=5,
            mean=datetime.timedelta(hours=754) / 7,
            median=72 * HOUR,
            # Each routing due 72 h after publication (the default target): 10 h, 60 h, 72 h exactly and 60 h are
            # within it; 120 h, 216 h, 216 h answered after it and E5c E7m E8m long past it unanswered.
            within_target=4,
            breached=6,
        ),
    )
    assert data.delays.unanswered == 3  # E5c E7m E8m
    assert data.delays.share(data.delays.under_72h) == 3 / 10
    # Mine's own routings: E1 10 h, E2 60 h, E5 72 h, E7 none, E8 none → 3 of 5, mean 142 h / 3.
    # Child's subtree (child + grandchild): E3 120 h, E4 216 h, E5 none, E11 60 h, E13 216 h → 4 of 5,
    # < 72 h: E11 → 1; < 7 d: E11, E3 → 2; mean (120 + 216 + 60 + 216) / 4 = 153 h.
    assert_same_ranking(
        ranking_of(data),
        {
            (mine.pk, "Direction départementale (en propre)", mine.code): Delays(
                routings=5,
                answered=3,
                under_48h=1,
                under_72h=2,
                under_7d=3,
                mean=datetime.timedelta(hours=142) / 3,
                median=None,
                within_target=3,  # E1 E2 E5; E7 and E8 past their target unanswered
                breached=2,
            ),
            (child.pk, "Antenne locale", child.code): Delays(
                routings=5,
                answered=4,
                under_48h=0,
                under_72h=1,
                under_7d=2,
                mean=153 * HOUR,
                median=None,
                within_target=1,  # E11; E3 E4 E13 answered late, E5c unanswered
                breached=4,
            ),
        },
    )
    # lien-suivi: E1 E5 E8; banniere: E4 E11 E13; qr-code: E3 E7; direct: E2 (ties by name).
    assert data.sources == [("banniere", 3), ("lien-suivi", 3), ("qr-code", 2), ("direct", 1)]
    # Positive E1 E5 E7; neutral E4 E11; negative E2 E3 E8 E13.
    assert data.feelings == {POS: 3, NEU: 2, NEG: 4}
    # Desk: E1 pos, E2 neg, E5 pos + neu (two organisms), E7 pos = 5; email: E3, E13 neg = 2;
    # phone: E1 neu, E4 none = 2; online: E11 pos = 1. Ties by channel code.
    assert data.channels == [
        (Channel.DESK, feeling_counts(3, 1, 1, none=0)),
        (Channel.EMAIL, feeling_counts(0, 0, 2, none=0)),
        (Channel.PHONE, feeling_counts(0, 1, 0, none=1)),
        (Channel.ONLINE, feeling_counts(1, 0, 0, none=0)),
    ]
    # Relation: E1 E5 pos, E2 E3 neg = 4; information: E11 pos, E4 neu = 2; reactivity: E2 E13 neg = 2;
    # accessibility: E8 neg = 1.
    assert data.general_tags == [
        (GeneralTag.RELATION, feeling_counts(2, 0, 2)),
        (GeneralTag.INFORMATION, feeling_counts(1, 1, 0)),
        (GeneralTag.REACTIVITY, feeling_counts(0, 0, 2)),
        (GeneralTag.ACCESSIBILITY, feeling_counts(0, 0, 1)),
    ]
    # Accueil: E1 E2 E5 (E5 on two organisms counts once) = 3; Délais: E2 E3 E13 = 3.
    assert data.business_tags == [("Accueil", 3), ("Délais", 3)]
    # Published responses: E1m (useful, 3/1), E2m (useful, 0/2), E3c (not useful), E4c (—, 1/0), E5m (—),
    # E11g (useful), E13g (—); E7's draft is not counted.
    # Negative and evaluated: E2 (useful), E3 (not useful) → 1 of 2.
    assert data.evaluations == Evaluations(
        responses=7,
        author_useful=3,
        author_not_useful=1,
        visitor_useful=4,
        visitor_not_useful=3,
        negative_evaluated=2,
        negative_useful=1,
    )
    assert data.evaluations.author_none == 3
    assert data.evaluations.transformation_rate == 1 / 2
    # Engaged in the period: A1 (mine, engaged), A2 (child, done), A7 (grandchild, engaged, first day).
    # Flagged: E2m (linked to A1), E3c, E5c (linked to A5, another structure's action), E8m → E3c, E8m.
    assert (data.actions.engaged, data.actions.done, data.actions.flagged_without_action) == (2, 1, 2)


def test_figures_of_a_structure_alone_match_the_hand_count(known, dashboard):
    data = dashboard(DashboardScope(start=START, end=END, structure=known["mine"], include_children=False))

    # Mine's routings: E1 10 h, E2 60 h, E5 72 h, E7 none, E8 none.
    assert data.published == 5
    assert data.by_month == [(JANUARY, 2), (FEBRUARY, 3)]  # E1 E2 | E5 E7 E8
    # 3 answered; < 48 h: 10 h; < 72 h: 10 h, 60 h; < 7 d: all three; mean 142 h / 3; median of 10, 60, 72.
    assert_same_delays(
        data.delays,
        Delays(
            routings=5,
            answered=3,
            under_48h=1,
            under_72h=2,
            under_7d=3,
            mean=datetime.timedelta(hours=142) / 3,
            median=60 * HOUR,
            within_target=3,  # each due 72 h after publication: E1 E2 E5 in time, E7 E8 past it unanswered
            breached=2,
        ),
    )
    assert data.ranking == []
    # lien-suivi: E1 E5 E8; direct: E2; qr-code: E7 ("" sorts before "qr-code" on a tie).
    assert data.sources == [("lien-suivi", 3), ("direct", 1), ("qr-code", 1)]
    assert data.feelings == {POS: 3, NEU: 0, NEG: 2}  # E1 E5 E7 | — | E2 E8
    # Desk: E1 pos, E2 neg, E5 pos + neu, E7 pos = 5; phone: E1 neu.
    assert data.channels == [
        (Channel.DESK, feeling_counts(3, 1, 1, none=0)),
        (Channel.PHONE, feeling_counts(0, 1, 0, none=0)),
    ]
    # Relation: E1 E5 pos, E2 neg; accessibility: E8 neg; reactivity: E2 neg.
    assert data.general_tags == [
        (GeneralTag.RELATION, feeling_counts(2, 0, 1)),
        (GeneralTag.ACCESSIBILITY, feeling_counts(0, 0, 1)),
        (GeneralTag.REACTIVITY, feeling_counts(0, 0, 1)),
    ]
    assert data.business_tags == [("Accueil", 3), ("Délais", 1)]  # E1 E2 E5 | E2
    # E1 (useful, 3/1), E2 (useful, 0/2), E5 (—); negative evaluated: E2, useful → 1 of 1.
    assert data.evaluations == Evaluations(
        responses=3,
        author_useful=2,
        author_not_useful=0,
        visitor_useful=3,
        visitor_not_useful=3,
        negative_evaluated=1,
        negative_useful=1,
    )
    assert data.evaluations.author_none == 1
    assert data.evaluations.transformation_rate == 1.0
    # A1 engaged (A3 is before the period); flagged: E2 (linked to A1), E8 → 1.
    assert (data.actions.engaged, data.actions.done, data.actions.flagged_without_action) == (1, 0, 1)


def test_figures_of_a_child_alone_match_the_hand_count(known, dashboard):
    data = dashboard(DashboardScope(start=START, end=END, structure=known["child"], include_children=False))

    # Child's routings: E3 5 d, E4 9 d, E5 none (E10 is out; E11, E13 are the grandchild's).
    assert data.published == 3
    # E3 and E4 (31 Jan 23:30 Paris) in January, E5 (1 Feb 00:30 Paris, 31 Jan in UTC) in February.
    assert data.by_month == [(JANUARY, 2), (FEBRUARY, 1)]
    # 2 answered: 120 h, 216 h; none under 72 h; 120 h under 7 d; mean = median = 336 h / 2 = 168 h.
    assert_same_delays(
        data.delays,
        Delays(
            routings=3,
            answered=2,
            under_48h=0,
            under_72h=0,
            under_7d=1,
            mean=168 * HOUR,
            median=168 * HOUR,
            within_target=0,
            breached=3,  # E3 E4 answered after 72 h, E5 past it unanswered
        ),
    )
    assert data.ranking == []
    assert data.sources == [("banniere", 1), ("lien-suivi", 1), ("qr-code", 1)]  # E4 | E5 | E3
    assert data.feelings == {POS: 1, NEU: 1, NEG: 1}  # E5 | E4 | E3
    # Desk: E5 pos + neu; email: E3 neg; phone: E4 with no feeling.
    assert data.channels == [
        (Channel.DESK, feeling_counts(1, 1, 0, none=0)),
        (Channel.EMAIL, feeling_counts(0, 0, 1, none=0)),
        (Channel.PHONE, feeling_counts(0, 0, 0, none=1)),
    ]
    # Relation: E5 pos, E3 neg; information: E4 neu.
    assert data.general_tags == [
        (GeneralTag.RELATION, feeling_counts(1, 0, 1)),
        (GeneralTag.INFORMATION, feeling_counts(0, 1, 0)),
    ]
    assert data.business_tags == [("Accueil", 1), ("Délais", 1)]  # E5 | E3
    # E3 (not useful), E4 (—, 1/0); negative evaluated: E3, not useful → 0 of 1.
    assert data.evaluations == Evaluations(
        responses=2,
        author_useful=0,
        author_not_useful=1,
        visitor_useful=1,
        visitor_not_useful=0,
        negative_evaluated=1,
        negative_useful=0,
    )
    assert data.evaluations.transformation_rate == 0.0
    # A2 done; flagged: E3, E5 (linked to A5) → 1.
    assert (data.actions.engaged, data.actions.done, data.actions.flagged_without_action) == (0, 1, 1)


def test_figures_of_a_network_match_the_hand_count(known, dashboard):
    data = dashboard(DashboardScope(start=START, end=END, network=known["root"].network))

    # The structure-with-children figures plus the sibling's E6 (10 h, negative, direct, flagged).
    assert data.published == 10
    assert data.by_month == [(JANUARY, 5), (FEBRUARY, 5)]
    # 11 routings, 8 answered: 754 h + 10 h = 764 h, mean 764 / 8 = 95.5 h;
    # sorted 10, 10, 60, 60, 72, 120, 216, 216: median (60 + 72) / 2 = 66 h.
    assert_same_delays(
        data.delays,
        Delays(
            routings=11,
            answered=8,
            under_48h=2,
            under_72h=4,
            under_7d=6,
            mean=datetime.timedelta(hours=95, minutes=30),
            median=66 * HOUR,
            within_target=5,  # mine with children's 4, and E6
            breached=6,
        ),
    )
    # A network of one tree ranks like its root with children: mine's subtree (as for mine with
    # children, 10 routings) and the sibling's E6 (10 h); the root itself received nothing.
    mine, sibling = known["mine"], known["sibling"]
    assert_same_ranking(
        ranking_of(data),
        {
            (mine.pk, mine.name, mine.code): Delays(
                routings=10,
                answered=7,
                under_48h=1,
                under_72h=3,
                under_7d=5,
                mean=datetime.timedelta(hours=754) / 7,
                median=None,
                within_target=4,
                breached=6,
            ),
            (sibling.pk, sibling.name, sibling.code): Delays(
                routings=1,
                answered=1,
                under_48h=1,
                under_72h=1,
                under_7d=1,
                mean=10 * HOUR,
                median=None,
                within_target=1,
                breached=0,
            ),
        },
    )
    assert data.sources == [("banniere", 3), ("lien-suivi", 3), ("direct", 2), ("qr-code", 2)]
    assert data.feelings == {POS: 3, NEU: 2, NEG: 5}
    # E6 adds desk neg and online neg.
    assert data.channels == [
        (Channel.DESK, feeling_counts(3, 1, 2, none=0)),
        (Channel.EMAIL, feeling_counts(0, 0, 2, none=0)),
        (Channel.ONLINE, feeling_counts(1, 0, 1, none=0)),
        (Channel.PHONE, feeling_counts(0, 1, 0, none=1)),
    ]
    # E6 adds reactivity neg (E2 E6 E13 = 3).
    assert data.general_tags == [
        (GeneralTag.RELATION, feeling_counts(2, 0, 2)),
        (GeneralTag.REACTIVITY, feeling_counts(0, 0, 3)),
        (GeneralTag.INFORMATION, feeling_counts(1, 1, 0)),
        (GeneralTag.ACCESSIBILITY, feeling_counts(0, 0, 1)),
    ]
    assert data.business_tags == [("Accueil", 3), ("Délais", 3), ("Orientation", 1)]
    # E6 adds a negative response judged not useful: negative evaluated E2 E3 E6, useful E2 → 1 of 3.
    assert data.evaluations == Evaluations(
        responses=8,
        author_useful=3,
        author_not_useful=2,
        visitor_useful=4,
        visitor_not_useful=3,
        negative_evaluated=3,
        negative_useful=1,
    )
    # A1 A7 engaged, A2 A4 done (A4 engaged on the last day); flagged: E3c, E8m, E6s.
    assert (data.actions.engaged, data.actions.done, data.actions.flagged_without_action) == (2, 2, 3)


def test_national_figures_match_the_hand_count(known, dashboard):
    network, foreign = known["root"].network, known["foreign"].network
    data = dashboard(DashboardScope(start=START, end=END))

    # The network's figures plus the foreign E12 (15 Jan, 5 d, positive, lien-suivi).
    assert data.published == 11
    assert data.by_month == [(JANUARY, 6), (FEBRUARY, 5)]
    # 12 routings, 9 answered: 764 h + 120 h = 884 h; sorted 10, 10, 60, 60, 72, 120, 120, 216, 216 → 72 h.
    assert_same_delays(
        data.delays,
        Delays(
            routings=12,
            answered=9,
            under_48h=2,
            under_72h=4,
            under_7d=7,
            mean=datetime.timedelta(hours=884) / 9,
            median=72 * HOUR,
            within_target=5,
            breached=7,  # the network's 6 and E12 (120 h)
        ),
    )
    assert_same_ranking(
        ranking_of(data),
        {
            (network.pk, network.name, ""): Delays(
                routings=11,
                answered=8,
                under_48h=2,
                under_72h=4,
                under_7d=6,
                mean=95.5 * HOUR,
                median=None,
                within_target=5,
                breached=6,
            ),
            (foreign.pk, foreign.name, ""): Delays(
                routings=1,
                answered=1,
                under_48h=0,
                under_72h=0,
                under_7d=1,
                mean=120 * HOUR,
                median=None,
                within_target=0,
                breached=1,
            ),
        },
    )
    assert data.sources == [("lien-suivi", 4), ("banniere", 3), ("direct", 2), ("qr-code", 2)]
    assert data.feelings == {POS: 4, NEU: 2, NEG: 5}
    # E12 adds phone pos.
    assert data.channels == [
        (Channel.DESK, feeling_counts(3, 1, 2, none=0)),
        (Channel.PHONE, feeling_counts(1, 1, 0, none=1)),
        (Channel.EMAIL, feeling_counts(0, 0, 2, none=0)),
        (Channel.ONLINE, feeling_counts(1, 0, 1, none=0)),
    ]
    assert data.general_tags == [
        (GeneralTag.RELATION, feeling_counts(2, 0, 2)),
        (GeneralTag.REACTIVITY, feeling_counts(0, 0, 3)),
        (GeneralTag.INFORMATION, feeling_counts(1, 1, 0)),
        (GeneralTag.ACCESSIBILITY, feeling_counts(0, 0, 1)),
        (GeneralTag.SIMPLICITY, feeling_counts(1, 0, 0)),
    ]
    assert data.business_tags == [("Accueil", 3), ("Délais", 3), ("Guichet", 1), ("Orientation", 1)]
    # E12 adds a positive response judged useful with 5 visitors' « utile ».
    assert data.evaluations == Evaluations(
        responses=9,
        author_useful=4,
        author_not_useful=2,
        visitor_useful=9,
        visitor_not_useful=3,
        negative_evaluated=3,
        negative_useful=1,
    )
    assert data.evaluations.transformation_rate == 1 / 3
    # A5 (foreign, engaged 10 Jan) joins A1 A7; done A2 A4; flagged unchanged.
    assert (data.actions.engaged, data.actions.done, data.actions.flagged_without_action) == (3, 2, 3)


@pytest.mark.parametrize(
    ("start", "end", "published"),
    [
        # 28 Feb alone: E8 at 23:59 Paris is in; E9 at 00:01 on 1 March (still 28 Feb in UTC) is out.
        (datetime.date(2026, 2, 28), datetime.date(2026, 2, 28), 1),
        # 1 March alone: E9 only.
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1), 1),
        # 31 Dec 2025 alone: E10 at 23:30 Paris; E11 (1 Jan 00:15 Paris, 31 Dec in UTC) is out.
        (datetime.date(2025, 12, 31), datetime.date(2025, 12, 31), 1),
        # 31 Jan alone: E4 at 23:30 Paris; E5 (1 Feb 00:30 Paris) is out.
        (datetime.date(2026, 1, 31), datetime.date(2026, 1, 31), 1),
    ],
)
def test_a_period_starts_and_ends_at_midnight_in_paris(known, dashboard, start, end, published):
    data = dashboard(DashboardScope(start=start, end=end, structure=known["root"]))

    assert data.published == published
    assert data.by_month == [(start.replace(day=1), published)]


# --- A random dataset against a plain-Python recount --------------------------------------------

RANDOM_START, RANDOM_END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
SOURCES = ["", "", "", *[f"campagne{n:02d}" for n in range(12)]]  # more than the top 10: « autres sources »
DELAY_CHOICES = [
    None,
    None,
    None,
    10 * MINUTE,
    10 * HOUR,
    48 * HOUR - MINUTE,
    48 * HOUR,
    60 * HOUR,
    72 * HOUR,
    72 * HOUR + MINUTE,
    5 * DAY,
    7 * DAY - MINUTE,
    7 * DAY,
    9 * DAY,
    30 * DAY,
]
BOUNDARY_TIMES = [datetime.time(0, 0), datetime.time(0, 1), datetime.time(23, 59), datetime.time(23, 0)]


@pytest.fixture
def wide_tree(tree):
    """More branches: a second child of mine, a child of the sibling and of the foreign root."""
    extra = {
        "second_child": f.StructureFactory(parent=tree["mine"], name="Antenne rurale"),
        "nephew": f.StructureFactory(parent=tree["sibling"], name="Bureau voisin"),
        "foreign_child": f.StructureFactory(parent=tree["foreign"], name="Agence étrangère"),
    }
    wide = {**tree, **extra}
    for structure in wide.values():
        structure.refresh_from_db()
    return wide


def random_moment(rng: random.Random) -> datetime.datetime:
    """A publication date from December to April, often right at a midnight in Paris (DST starts 29 March)."""
    day = datetime.date(2025, 12, 1) + datetime.timedelta(days=rng.randrange(151))
    if rng.random() < 0.3:
        moment = rng.choice(BOUNDARY_TIMES)
    else:
        moment = datetime.time(rng.randrange(24), rng.randrange(60))
    return datetime.datetime.combine(day, moment, tzinfo=PARIS)


def build_random_dataset(rng: random.Random, structures: list[Structure], size: int = 200) -> None:
    network = structures[0].network
    typologies = [f.TypologyFactory(network=network) for _ in range(4)]
    # More business tags than the top 15; names sort the same in Python and in any database collation.
    business = [BusinessTag.objects.get_or_create(network=network, name=f"metier{n:02d}")[0] for n in range(18)]
    experiences = []
    for _ in range(size):
        published = rng.random() > 0.05
        experience = f.ExperienceFactory(
            feeling=rng.choice(Feeling.values),
            source=rng.choice(SOURCES),
            moderation_state=ModerationState.PUBLISHED if published else ModerationState.SUBMITTED,
            published_at=random_moment(rng) if published else None,
        )
        experiences.append(experience)
        for position, structure in enumerate(rng.sample(structures, rng.choice([1, 1, 1, 2, 3])), start=1):
            random_routing(rng, experience, structure, position)
        for position, typology in enumerate(rng.sample(typologies, rng.choice([0, 1, 1, 2])), start=1):
            organism = f.ExperienceTypologyFactory(experience=experience, typology=typology, position=position)
            for channel in rng.sample(Channel.values, rng.choice([0, 1, 2, 3])):
                f.ExperienceChannelFactory(
                    experience_typology=organism, channel=channel, feeling=rng.choice([*Feeling.values, ""])
                )
            organism.business_tags.add(*rng.sample(business, rng.choice([0, 1, 2])))
        for tag in rng.sample(GeneralTag.values, rng.choice([0, 1, 2])):
            f.GeneralTagValueFactory(experience=experience, tag=tag, value=rng.choice(Feeling.values))
    for _ in range(30):
        engaged_on = datetime.date(2025, 12, 1) + datetime.timedelta(days=rng.randrange(151))
        status = rng.choice([ENGAGED, DONE])
        done_on = engaged_on + datetime.timedelta(days=rng.randrange(30)) if status == DONE else None
        created = f.ImprovementActionFactory(
            structure=rng.choice(structures), status=status, engaged_on=engaged_on, done_on=done_on
        )
        created.experiences.add(*rng.sample(experiences, rng.choice([0, 1, 3])))


def random_routing(rng: random.Random, experience: Experience, structure: Structure, position: int) -> None:
    delay = rng.choice(DELAY_CHOICES) if experience.published_at else None
    assignment = f.AssignmentFactory(
        experience=experience,
        structure=structure,
        position=position,
        first_response_at=None if delay is None else experience.published_at + delay,
        needs_improvement=rng.random() < 0.2,
    )
    if delay is None:
        # Unanswered: sometimes a draft waits.
        if experience.published_at and rng.random() < 0.2:
            f.ResponseFactory(assignment=assignment, state=ResponseState.DRAFT, published_at=None)
        return
    # Answered: the response is still published, or was unpublished since (its first answer stays dated).
    state = ResponseState.PUBLISHED if rng.random() < 0.85 else ResponseState.UNPUBLISHED
    response = f.ResponseFactory(
        assignment=assignment,
        state=state,
        published_at=assignment.first_response_at,
        visitor_useful_count=rng.randrange(4),
        visitor_not_useful_count=rng.randrange(3),
    )
    useful = rng.choice([None, None, True, False])
    if useful is not None:
        f.AuthorEvaluationFactory(response=response, is_useful=useful)


class Recount:
    """The dashboard recounted from plain rows (`.values()`) with Python loops, following DEFINITIONS."""

    def __init__(self):
        self.structures = {
            row["pk"]: row for row in Structure.objects.values("pk", "parent_id", "network_id", "name", "code")
        }
        self.networks = dict(Network.objects.values_list("pk", "name"))
        self.assignments = list(
            Assignment.objects.values(
                "pk", "experience_id", "structure_id", "published_at", "feeling", "first_response_at", "due_at"
            )
        )
        self.flagged = set(Assignment.objects.filter(needs_improvement=True).values_list("pk", flat=True))
        self.sources = dict(Experience.objects.values_list("pk", "source"))
        self.typology_experience = dict(ExperienceTypology.objects.values_list("pk", "experience_id"))
        self.channels = list(ExperienceChannel.objects.values_list("experience_typology_id", "channel", "feeling"))
        self.general_tags = list(GeneralTagValue.objects.values_list("experience_id", "tag", "value"))
        tag_names = dict(BusinessTag.objects.values_list("pk", "name"))
        through = ExperienceTypology.business_tags.through.objects.values_list(
            "experiencetypology_id", "businesstag_id"
        )
        self.business_tags = [(typology, tag_names[tag]) for typology, tag in through]
        self.responses = list(
            Response.objects.values_list("assignment_id", "state", "visitor_useful_count", "visitor_not_useful_count")
        )
        self.response_of = dict(Response.objects.values_list("pk", "assignment_id"))
        self.author_verdict = {
            self.response_of[response]: useful
            for response, useful in AuthorEvaluation.objects.values_list("response_id", "is_useful")
        }
        self.actions = list(ImprovementAction.objects.values_list("structure_id", "status", "engaged_on"))
        self.linked = set(ImprovementAction.experiences.through.objects.values_list("experience_id", flat=True))

    def lineage(self, pk: int) -> list[int]:
        """The structure and its ancestors, itself first, by walking up the parents."""
        chain = [pk]
        while self.structures[chain[-1]]["parent_id"] is not None:
            chain.append(self.structures[chain[-1]]["parent_id"])
        return chain

    def in_scope(self, scope: DashboardScope) -> set[int]:
        if scope.structure is not None:
            if not scope.include_children:
                return {scope.structure.pk}
            return {pk for pk in self.structures if scope.structure.pk in self.lineage(pk)}
        if scope.network is not None:
            return {pk for pk, row in self.structures.items() if row["network_id"] == scope.network.pk}
        return set(self.structures)

    def routings(self, scope: DashboardScope) -> list[dict]:
        structures = self.in_scope(scope)
        return [
            row
            for row in self.assignments
            if row["structure_id"] in structures
            and row["published_at"] is not None
            and scope.start <= row["published_at"].astimezone(PARIS).date() <= scope.end
        ]

    def figures(self, scope: DashboardScope) -> dict:
        routings = self.routings(scope)
        experiences = {row["experience_id"] for row in routings}
        return {
            "published": len(experiences),
            "by_month": self.by_month(scope, routings),
            "delays": self.delays(routings),
            "ranking": self.ranking(scope, routings),
            "sources": self.top_sources(experiences),
            "feelings": self.feelings(routings),
            "channels": self.channel_table(experiences),
            "general_tags": self.general_tag_table(experiences),
            "business_tags": self.top_business_tags(experiences),
            "evaluations": self.evaluations(routings),
            "actions": self.action_figures(scope, routings),
        }

    @staticmethod
    def by_month(scope, routings) -> list:
        months = defaultdict(set)
        for row in routings:
            months[row["published_at"].astimezone(PARIS).date().replace(day=1)].add(row["experience_id"])
        result, month = [], scope.start.replace(day=1)
        while month <= scope.end:
            result.append((month, len(months[month])))
            month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return result

    @staticmethod
    def delays(routings, with_median=True) -> Delays:
        spans = sorted(row["first_response_at"] - row["published_at"] for row in routings if row["first_response_at"])
        median = None
        if spans and with_median:
            # In whole hours, rounded down (the definition): the middle one, or the mean of the middle two.
            hours, middle = [span // HOUR for span in spans], len(spans) // 2
            median = hours[middle] * HOUR if len(spans) % 2 else (hours[middle - 1] + hours[middle]) * HOUR / 2
        return Delays(
            routings=len(routings),
            answered=len(spans),
            under_48h=sum(1 for span in spans if span < 48 * HOUR),
            under_72h=sum(1 for span in spans if span < 72 * HOUR),
            under_7d=sum(1 for span in spans if span < 7 * DAY),
            mean=sum(spans, datetime.timedelta()) / len(spans) if spans else None,
            median=median,
            within_target=sum(
                1 for row in routings if row["first_response_at"] and row["first_response_at"] <= row["due_at"]
            ),
            breached=sum(1 for row in routings if (row["first_response_at"] or timezone.now()) > row["due_at"]),
        )

    def ranking(self, scope, routings) -> dict:
        if scope.structure is not None and scope.include_children:
            buckets = defaultdict(list)
            for row in routings:
                chain = self.lineage(row["structure_id"])
                position = chain.index(scope.structure.pk)
                buckets[scope.structure.pk if position == 0 else chain[position - 1]].append(row)
            return {
                (
                    pk,
                    self.structures[pk]["name"] + (" (en propre)" if pk == scope.structure.pk else ""),
                    self.structures[pk]["code"],
                ): self.delays(rows, with_median=False)
                for pk, rows in buckets.items()
            }
        if scope.structure is None and scope.network is None:
            buckets = defaultdict(list)
            for row in routings:
                buckets[self.structures[row["structure_id"]]["network_id"]].append(row)
            return {(pk, self.networks[pk], ""): self.delays(rows, with_median=False) for pk, rows in buckets.items()}
        if scope.network is None:
            return {}
        # A network: its trees, by their roots (no parent); a single tree ranks like its root with children.
        roots = [
            pk for pk, s in self.structures.items() if s["network_id"] == scope.network.pk and s["parent_id"] is None
        ]
        if len(roots) == 1:
            root = Structure.objects.get(pk=roots[0])
            return self.ranking(DashboardScope(start=scope.start, end=scope.end, structure=root), routings)
        buckets = defaultdict(list)
        for row in routings:
            top = self.lineage(row["structure_id"])[-1]
            if top in roots:
                buckets[top].append(row)
        return {
            (pk, self.structures[pk]["name"], self.structures[pk]["code"]): self.delays(rows, with_median=False)
            for pk, rows in buckets.items()
        }

    def top_sources(self, experiences) -> list:
        counts = Counter(self.sources[pk] or "direct" for pk in experiences)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        top = ranked[:10]
        others = sum(n for _, n in ranked[10:])
        return top + ([("autres sources", others)] if others else [])

    @staticmethod
    def feelings(routings) -> dict:
        pairs = {(row["experience_id"], row["feeling"]) for row in routings}
        counts = Counter(feeling for _, feeling in pairs)
        return {feeling: counts[feeling] for feeling in Feeling.values}

    @staticmethod
    def table(rows, keys) -> list:
        table = {}
        for key, feeling in rows:
            table.setdefault(key, dict.fromkeys(keys, 0))[feeling] += 1
        return sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))

    def channel_table(self, experiences) -> list:
        rows = [
            (channel, feeling)
            for typology, channel, feeling in self.channels
            if self.typology_experience[typology] in experiences
        ]
        return self.table(rows, [*Feeling.values, ""])

    def general_tag_table(self, experiences) -> list:
        rows = [(tag, value) for experience, tag, value in self.general_tags if experience in experiences]
        return self.table(rows, Feeling.values)

    def top_business_tags(self, experiences) -> list:
        pairs = {
            (name, self.typology_experience[typology])
            for typology, name in self.business_tags
            if self.typology_experience[typology] in experiences
        }
        counts = Counter(name for name, _ in pairs)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:15]

    def evaluations(self, routings) -> Evaluations:
        feeling_of = {row["pk"]: row["feeling"] for row in routings}
        published = [row for row in self.responses if row[0] in feeling_of and row[1] == ResponseState.PUBLISHED]
        verdicts = [self.author_verdict.get(assignment) for assignment, *_ in published]
        negative = [self.author_verdict.get(row[0]) for row in published if feeling_of[row[0]] == NEG]
        return Evaluations(
            responses=len(published),
            author_useful=verdicts.count(True),
            author_not_useful=verdicts.count(False),
            visitor_useful=sum(row[2] for row in published),
            visitor_not_useful=sum(row[3] for row in published),
            negative_evaluated=sum(1 for verdict in negative if verdict is not None),
            negative_useful=negative.count(True),
        )

    def action_figures(self, scope, routings) -> tuple:
        structures = self.in_scope(scope)
        states = Counter(
            status
            for structure, status, engaged_on in self.actions
            if structure in structures and scope.start <= engaged_on <= scope.end
        )
        flagged = sum(1 for row in routings if row["pk"] in self.flagged and row["experience_id"] not in self.linked)
        return states[ENGAGED], states[DONE], flagged


def random_scopes(structures: dict) -> dict[str, DashboardScope]:
    period = {"start": RANDOM_START, "end": RANDOM_END}
    return {
        "root with children": DashboardScope(**period, structure=structures["root"]),
        "mine with children": DashboardScope(**period, structure=structures["mine"]),
        "mine alone": DashboardScope(**period, structure=structures["mine"], include_children=False),
        "child with children": DashboardScope(**period, structure=structures["child"]),
        "a leaf with children": DashboardScope(**period, structure=structures["grandchild"]),
        "sibling alone": DashboardScope(**period, structure=structures["sibling"], include_children=False),
        "network": DashboardScope(**period, network=structures["root"].network),
        "foreign network": DashboardScope(**period, network=structures["foreign"].network),
        "national": DashboardScope(**period),
        # Around the switch to summer time (29 March 2026, 02:00 → 03:00).
        "national, one day": DashboardScope(start=datetime.date(2026, 3, 29), end=datetime.date(2026, 3, 29)),
        "national, around summer time": DashboardScope(start=datetime.date(2026, 3, 28), end=datetime.date(2026, 4, 2)),
        "national, a long period": DashboardScope(start=datetime.date(2025, 11, 15), end=datetime.date(2026, 5, 10)),
    }


@pytest.mark.parametrize("seed", [20261123, 3])
def test_figures_of_random_data_match_a_plain_python_recount(wide_tree, dashboard, seed):
    build_random_dataset(random.Random(seed), list(wide_tree.values()))
    recount = Recount()

    for name, scope in random_scopes(wide_tree).items():
        data, expected = dashboard(scope), recount.figures(scope)
        assert_same_delays(data.delays, expected.pop("delays"), f"{name}: delays")
        assert_same_ranking(ranking_of(data), expected.pop("ranking"), f"{name}: ranking")
        actual = {
            "published": data.published,
            "by_month": data.by_month,
            "sources": data.sources,
            "feelings": data.feelings,
            "channels": data.channels,
            "general_tags": data.general_tags,
            "business_tags": data.business_tags,
            "evaluations": data.evaluations,
            "actions": (data.actions.engaged, data.actions.done, data.actions.flagged_without_action),
        }
        for figure in expected:
            assert actual[figure] == expected[figure], f"{name}: {figure}"
        assert data.published > 0 or name == "national, one day", f"{name}: the dataset should reach this scope"


# --- Query count ---------------------------------------------------------------------------------


def scope_of(kind: str, tree: dict) -> DashboardScope:
    period = {"start": RANDOM_START, "end": RANDOM_END}
    return {
        "structure with children": DashboardScope(**period, structure=tree["mine"]),
        "structure alone": DashboardScope(**period, structure=tree["mine"], include_children=False),
        "network": DashboardScope(**period, network=tree["root"].network),
        "national": DashboardScope(**period),
    }[kind]


# Live: the ranking's lines (child structures, networks, or a network's roots and then its root's children),
# the rollup's watermark, then one query per figure: months, delay sums, delay hours, ranking, sources,
# feelings, channels, general tags, business tags, evaluations, flagged, actions engaged, share-form visits = 13.
# From the rollup: the lines, the watermark, the scope's months, its breakdowns, the lines' days, actions engaged,
# and the share-form visits (always live).
# A structure alone has no ranking: neither its lines nor their rows.
@pytest.mark.parametrize(
    ("kind", "live"),
    [("structure with children", 15), ("structure alone", 13), ("network", 16), ("national", 15)],
)
def test_dashboard_query_count_is_pinned_and_does_not_grow_with_the_rows(
    wide_tree, kind, live, django_assert_num_queries
):
    # Few rows, but every figure has something to show, so no query is skipped for want of data.
    experience = shared(paris(2026, 2, 3, 10), NEG, "lien-suivi")
    answered(routed(experience, wide_tree["mine"], 10 * HOUR, flagged=True), useful=True)
    organism(experience, (Channel.DESK, NEG), business=[f.BusinessTagFactory(network=wide_tree["mine"].network)])
    tagged(experience, relation=NEG)
    action(wide_tree["mine"], ENGAGED, datetime.date(2026, 2, 4))
    scope = scope_of(kind, wide_tree)
    with django_assert_num_queries(live):
        assert live_or_rolled_up(scope).published == 1

    build_random_dataset(random.Random(kind), list(wide_tree.values()), size=60)
    with django_assert_num_queries(live):
        assert live_or_rolled_up(scope).published > 3


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("kind", "rolled_up"),
    [("structure with children", 7), ("structure alone", 5), ("network", 8), ("national", 7)],
)
def test_rolled_up_dashboard_reads_a_few_rows_per_scope(wide_tree, kind, rolled_up, django_assert_num_queries):
    build_random_dataset(random.Random(kind), list(wide_tree.values()), size=60)
    refresh_rollup(full=True, today=datetime.date(2026, 11, 23))
    scope = scope_of(kind, wide_tree)
    with django_assert_num_queries(rolled_up):
        data = live_or_rolled_up(scope)
    assert data.published > 0
    assert data.consolidated_through == scope.end

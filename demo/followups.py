"""What follows a publication: routings and answers, votes, evaluations, « moi aussi », comments, actions, transfers.

Everything stays consistent with the rules the application applies: a response status per
assignment matching its response's state, the experience's status as `Experience.derived_status()`
computes it (action done > action engaged > answered > awaiting), the first response date as the
earliest published answer, copied with the publication date and feeling onto every assignment.
"""

import datetime
from dataclasses import dataclass, field

from experiences.models import ANSWERED_STATUSES

from . import text
from .context import StructureInfo
from .tables import A_NEEDS_IMPROVEMENT, E_FIRST_RESPONSE, E_ME_TOO, E_PSEUDONYM, E_STATUS

HOUR = 3600.0
DAY = 24 * HOUR
GENERAL_TAGS = ("accessibility", "information", "relation", "reactivity", "simplicity")
ANSWERED = frozenset(str(s) for s in ANSWERED_STATUSES)
# (cumulative share, status); "draft" is an answer being written: the assignment still awaits one.
STATUS_SHARES = (
    (0.20, "awaiting"),
    (0.25, "draft"),
    (0.31, "pending_validation"),
    (0.86, "answered"),
    (0.93, "modified_notified"),
    (0.96, "unpublished"),
    (1.00, "adopted"),
)
USEFUL_SHARE = {"positive": 0.85, "neutral": 0.65, "negative": 0.45}
ACTION_PRIORITY = {"done": "action_done", "engaged": "action_engaged"}


@dataclass
class PendingAction:
    """An improvement action still open to new experiences; dated once all its experiences are known."""

    id: int
    structure_id: int
    status: str
    created_by: int
    forced: bool
    after: datetime.datetime  # the latest first answer among its experiences
    experiences: list[list] = field(default_factory=list)


class FollowUps:
    def __init__(self, generator, *, today: datetime.date):
        self.gen = generator
        self.rng = generator.rng
        self.ctx = generator.ctx
        self.texts = generator.texts
        self.rows = generator.rows
        self.tables = generator.tables
        self.now = generator.now
        self.today = today
        self.signatures: dict[int, str] = {}
        self.actions: dict[int, PendingAction] = {}

    def take_id(self, key: str) -> int:
        return self.tables[key].take_id()

    def add(self, experience: list, structures: list[StructureInfo], feeling: str, published, scenario: dict) -> None:
        experience_id = experience[0]
        self.add_general_tags(experience_id, feeling)
        self.add_me_toos(experience, published)
        assignments, answered_by = self.add_assignments(experience, structures, feeling, published, scenario)
        self.add_comments(experience_id, structures, published)
        if answered_by and feeling != "positive" and (scenario.get("action") or self.rng.random() < 0.06):
            self.link_action(experience, assignments, answered_by, scenario.get("action"))
        if scenario.get("transfer") or self.rng.random() < 0.025:
            self.add_transfer(experience_id, structures[0], published, scenario.get("transfer"))

    # --- moderation tags and visitors -------------------------------------------------------------

    def add_general_tags(self, experience_id: int, feeling: str) -> None:
        """Set by moderators before publication (seed 000), valued mostly like the overall feeling."""
        rng = self.rng
        for tag in rng.sample(GENERAL_TAGS, rng.choice((0, 1, 1, 2, 2, 3))):
            value = feeling if rng.random() < 0.8 else rng.choice(("positive", "neutral", "negative"))
            self.rows["general_tag"].append((self.take_id("general_tag"), experience_id, tag, value))

    def add_me_toos(self, experience: list, published: datetime.datetime) -> None:
        rng = self.rng
        if rng.random() >= 0.12:
            return
        count = rng.randint(1, 6)
        for _ in range(count):
            key = f"{rng.getrandbits(128):032x}"
            self.rows["me_too"].append((self.take_id("me_too"), experience[0], key, self.after(published, 30 * DAY)))
        experience[E_ME_TOO] = count

    def after(self, moment: datetime.datetime, spread: float) -> datetime.datetime:
        """A moment between `moment` and now, at most `spread` seconds later."""
        room = min(spread, (self.now - moment).total_seconds())
        return moment + datetime.timedelta(seconds=self.rng.uniform(0, max(room, 1.0) * 0.999))

    # --- routings and answers ---------------------------------------------------------------------

    def plan(self, count: int, scenario: dict) -> list[str]:
        if scenario.get("statuses"):
            return list(scenario["statuses"])
        statuses = []
        for position in range(count):
            roll = self.rng.random()
            status = next(s for threshold, s in STATUS_SHARES if roll < threshold)
            if status == "adopted" and not (position and any(s in ANSWERED for s in statuses)):
                status = "answered"
            statuses.append(status)
        return statuses

    def add_assignments(self, experience, structures, feeling, published, scenario):
        """Routes and answers; returns the assignment rows and the structure that answered first, if any."""
        statuses = self.plan(len(structures), scenario)
        pseudonym = experience[E_PSEUDONYM]
        assignments, answers = [], []  # answers: (published at, response id, structure, is public)
        for position, (structure, planned) in enumerate(zip(structures, statuses, strict=True), start=1):
            pk = self.take_id("assignment")
            status, answer = self.respond(pk, structure, planned, feeling, pseudonym, published, answers, scenario)
            if answer:
                answers.append(answer)
            needs_improvement = status in ANSWERED and feeling == "negative" and self.rng.random() < 0.1
            assignments.append(
                [
                    pk,
                    experience[0],
                    structure.id,
                    position,
                    status,
                    needs_improvement,
                    published,
                    feeling,
                    None,
                    published,
                ]
            )
        published_answers = [a for a in answers if a[3]]
        first = min(published_answers, key=lambda a: a[0]) if published_answers else None
        for row in assignments:
            row[8] = first[0] if first else None  # the experience's first response, copied (DESIGN.md)
            self.rows["assignment"].append(row)
        experience[E_FIRST_RESPONSE] = first[0] if first else None
        experience[E_STATUS] = "answered" if any(row[4] in ANSWERED for row in assignments) else "awaiting"
        return assignments, first[2] if first else None

    def delay(self, scenario: dict) -> datetime.timedelta:
        """First-answer delay: hours to weeks (DESIGN.md dashboards count < 48 h, < 72 h, < 7 days)."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.35 or scenario:
            hours = rng.uniform(1, 48)
        elif roll < 0.5:
            hours = rng.uniform(48, 72)
        elif roll < 0.75:
            hours = rng.uniform(72, 168)
        else:
            hours = rng.uniform(168, 1000)
        return datetime.timedelta(hours=hours)

    def respond(self, assignment_id, structure, planned, feeling, pseudonym, published, answers, scenario):
        """Write the structure's response as planned; returns (response status, answer or None).

        An answer is (published at, response id, structure, is published). A plan the calendar
        cannot hold (an answer after today) falls back to awaiting.
        """
        if planned == "awaiting":
            return "awaiting", None
        sources = [a for a in answers if a[3]]
        if planned == "adopted" and not sources:
            planned = "answered"  # nothing public to adopt: the earlier answers fell after today
        created = published + self.delay(scenario)
        if planned == "adopted":
            created = max(created, min(sources, key=lambda a: a[0])[0] + datetime.timedelta(hours=1))
        if created >= self.now:
            return "awaiting", None
        author, publisher = self.signers(structure)
        response = {
            "id": self.take_id("response"),
            "author": author,
            "created": created,
            "body": self.texts.response(feeling, pseudonym),
            "state": "published",
        }
        status = planned
        if planned == "draft":
            response["state"] = "draft"
            status = "awaiting"
        elif planned == "pending_validation":
            response.update(state="pending_validation", submitted=self.after(created, 2 * HOUR))
        elif planned == "adopted":
            response.update(body="", adopted_from=min(sources, key=lambda a: a[0])[1])
        self.finish_response(response, planned, publisher, author)
        if response["state"] == "published" and response.get("modified", 0) is None:
            status = "answered"  # the modification would fall after today
        if planned == "unpublished" and response["state"] == "published":
            status = "answered"
        self.write_response(assignment_id, structure, response, feeling)
        is_public = response["state"] == "published"
        answer = (response.get("published", created), response["id"], structure, is_public)
        return status, answer if response.get("published") else None

    def finish_response(self, response: dict, planned: str, publisher: int, author: int) -> None:
        if response["state"] != "published":
            return
        created = response["created"]
        if publisher != author:  # an agent's draft goes through a super agent's validation (seed 003)
            response["submitted"] = self.after(created, 2 * HOUR)
            response["published"] = self.after(response["submitted"], 20 * HOUR)
        else:
            response["published"] = created
        response["publisher"] = publisher
        if planned == "modified_notified":
            response["modified"] = self.later(response["published"], 10 * DAY)
        elif planned == "unpublished":
            unpublished = self.later(response["published"], 20 * DAY)
            if unpublished:
                response.update(state="unpublished", unpublished=unpublished)

    def later(self, moment: datetime.datetime, spread: float) -> datetime.datetime | None:
        """A moment up to `spread` seconds after `moment`, or None when that would be after now."""
        candidate = moment + datetime.timedelta(seconds=self.rng.uniform(HOUR, spread))
        return candidate if candidate < self.now else None

    def write_response(self, assignment_id: int, structure: StructureInfo, response: dict, feeling: str) -> None:
        useful, not_useful = 0, 0
        if response["state"] == "published" and not response.get("adopted_from"):
            useful, not_useful = self.add_votes(response, feeling)
            self.add_author_evaluation(response, feeling)
        last = response.get("unpublished") or response.get("modified") or response.get("published")
        last = last or response.get("submitted") or response["created"]
        self.rows["response"].append(
            (
                response["id"],
                assignment_id,
                response["author"],
                response["body"],
                self.texts.pick(text.FORMULAS),
                self.signature(structure),
                response["state"],
                response.get("adopted_from"),
                response["created"],
                last,
                response.get("submitted"),
                response.get("published"),
                response.get("publisher"),
                response.get("unpublished"),
                response.get("modified"),
                useful,
                not_useful,
            )
        )

    def add_votes(self, response: dict, feeling: str) -> tuple[int, int]:
        """Visitors' « utile / pas utile », one row per vote: the counts on the response are exact."""
        rng = self.rng
        roll = rng.random()
        count = 0 if roll < 0.55 else 1 if roll < 0.75 else 2 if roll < 0.87 else rng.randint(3, 8)
        useful = 0
        for _ in range(count):
            is_useful = rng.random() < USEFUL_SHARE[feeling]
            useful += is_useful
            key = f"{rng.getrandbits(128):032x}"
            when = self.after(response["published"], 30 * DAY)
            self.rows["vote"].append((self.take_id("vote"), response["id"], key, is_useful, when))
        return useful, count - useful

    def add_author_evaluation(self, response: dict, feeling: str) -> None:
        """The author's verdict from the signed link: what the transformation rate counts."""
        rng = self.rng
        if rng.random() < 0.3:
            is_useful = rng.random() < USEFUL_SHARE[feeling]
            when = self.after(response["published"], 7 * DAY)
            self.rows["author_evaluation"].append((self.take_id("author_evaluation"), response["id"], is_useful, when))

    def signers(self, structure: StructureInfo) -> tuple[int, int]:
        """(author, publisher): the demo agent's answers are validated by the demo super agent."""
        scopes = self.ctx.scopes
        if structure.within(scopes[0].root):
            return scopes[0].user_id, scopes[-1].user_id
        for scope in scopes[1:]:
            if structure.within(scope.root):
                return scope.user_id, scope.user_id
        responder = self.ctx.responders.get(structure.network_id, self.ctx.moderator_id)
        return responder, responder

    def signature(self, structure: StructureInfo) -> str:
        if structure.id not in self.signatures:
            self.signatures[structure.id] = self.texts.pick(text.SIGNATURES).format(structure=structure.name)
        return self.signatures[structure.id]

    # --- comments, actions, transfers -------------------------------------------------------------

    def add_comments(self, experience_id: int, structures: list[StructureInfo], published) -> None:
        rng = self.rng
        if rng.random() >= 0.12:
            return
        for _ in range(rng.randint(1, 3)):
            structure = rng.choice(structures)
            if rng.random() < 0.25:  # DITP moderators comment too (seed 001 q21)
                author, on_behalf = self.ctx.moderator_id, None
            else:
                author, on_behalf = self.signers(structure)[0], structure.id
            body = self.texts.pick(text.COMMENTS)
            when = self.after(published, 20 * DAY)
            self.rows["comment"].append((self.take_id("comment"), experience_id, author, on_behalf, body, when))

    def link_action(self, experience: list, assignments: list, structure: StructureInfo, forced: str | None) -> None:
        """Link the experience to an improvement action of the structure that answered it."""
        rng = self.rng
        action = self.actions.get(structure.id)
        if forced or action is None or action.forced or len(action.experiences) >= 5 or rng.random() < 0.5:
            status = forced or ("done" if rng.random() < 0.45 else "engaged")
            action = PendingAction(
                self.take_id("action"),
                structure.id,
                status,
                self.signers(structure)[0],
                bool(forced),
                experience[E_FIRST_RESPONSE],
            )
            self.actions[structure.id] = action
        action.after = max(action.after, experience[E_FIRST_RESPONSE])
        action.experiences.append(experience)
        for row in assignments:
            if row[2] == structure.id:
                row[A_NEEDS_IMPROVEMENT] = True

    def close_actions(self) -> None:
        """Date the open actions, write them and raise their experiences' status (done > engaged)."""
        for action in self.actions.values():
            self.write_action(action)
        self.actions = {}

    def write_action(self, action: PendingAction) -> None:
        rng = self.rng
        answered_on = (action.after + datetime.timedelta(hours=1)).date()
        engaged_on = min(self.today, answered_on + datetime.timedelta(days=rng.randint(1, 30)))
        done_on = None
        if action.status == "done":
            done_on = engaged_on + datetime.timedelta(days=rng.randint(7, 120))
            if done_on > self.today and action.forced:
                engaged_on, done_on = min(engaged_on, self.today - datetime.timedelta(days=1)), self.today
            elif done_on > self.today:
                action.status, done_on = "engaged", None
        title, description = rng.choice(text.IMPROVEMENT_ACTIONS)
        engaged_at = datetime.datetime.combine(engaged_on, datetime.time(9), tzinfo=datetime.UTC)
        updated_at = (
            datetime.datetime.combine(done_on, datetime.time(9), tzinfo=datetime.UTC) if done_on else engaged_at
        )
        is_public = rng.random() < 0.6
        self.rows["action"].append(
            (
                action.id,
                action.structure_id,
                title,
                description,
                action.status,
                engaged_on,
                done_on,
                is_public,
                engaged_at if is_public else None,
                action.created_by,
                engaged_at,
                updated_at,
            )
        )
        for experience in action.experiences:
            self.rows["action_experience"].append((self.take_id("action_experience"), action.id, experience[0]))
            # Only a published action shows on the experience's public status (Experience.derived_status).
            if is_public and experience[E_STATUS] != "action_done":
                experience[E_STATUS] = ACTION_PRIORITY[action.status]

    def add_transfer(self, experience_id: int, routed: StructureInfo, published, decision: str | None) -> None:
        """seed 001 q22: an agent asks the moderators to move an experience out of their subtree."""
        rng = self.rng
        decision = decision or rng.choice(("pending", "accepted", "accepted", "refused"))
        other = self.gen.structure_for(self.gen.pick_typology(), routed.department or None)
        if other.id == routed.id:
            return
        # Accepted: the experience left the structure that asked and is now routed to `routed`.
        origin, target = (other, routed) if decision == "accepted" else (routed, other)
        requested = self.after(published, 5 * DAY)
        decided = self.after(requested, 3 * DAY) if decision != "pending" else None
        reason = self.texts.pick(text.TRANSFER_REASONS)
        decision_reason = self.texts.pick(text.TRANSFER_DECISIONS[decision]) if decided else ""
        self.rows["transfer"].append(
            (
                self.take_id("transfer"),
                experience_id,
                origin.id,
                target.id,
                reason,
                self.signers(origin)[0],
                requested,
                decision,
                decision_reason,
                self.ctx.moderator_id if decided else None,
                decided,
            )
        )

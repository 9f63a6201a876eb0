"""Who may see and do what: the one place every view, API endpoint, export and task asks.

A membership grants its structure and the structure's whole subtree (seed 000: « droits sur sa
structure et les structures filles »), never a sibling or an ancestor. DITP moderators and
superusers see everything. Out of scope must surface as a 404, so callers filter querysets with
these rules rather than test them after fetching.
"""

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Membership, Network, Role, Structure


class Action(StrEnum):
    VIEW = "view"
    ANSWER = "answer"  # write, edit and submit a draft response, tag, set channels, move to a child
    PUBLISH_RESPONSE = "publish_response"  # publish, validate, unpublish (seed 000: validation by a super agent)
    COMMENT = "comment"
    MANAGE_ACTIONS = "manage_actions"  # improvement actions
    REQUEST_TRANSFER = "request_transfer"
    VIEW_DASHBOARD = "view_dashboard"
    DIAGNOSE = "diagnose"  # fill in and save a local diagnostic (seed 003)
    READ_DIAGNOSTICS = "read_diagnostics"  # open diagnostics' results, history and consolidations
    IMPORT_RESULTS = "import_results"  # transparency CSV imports for a network
    MANAGE_MEMBERS = "manage_members"  # add agents to structures with a role, remove them (issue 18)
    SET_TARGETS = "set_targets"  # tighten the response-time target of a subtree (issue 20)


ALL_ROLES = frozenset(Role)
ROLES_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW: ALL_ROLES,
    Action.VIEW_DASHBOARD: ALL_ROLES,
    Action.ANSWER: frozenset({Role.AGENT, Role.SUPER_AGENT}),
    Action.COMMENT: frozenset({Role.AGENT, Role.SUPER_AGENT}),
    Action.REQUEST_TRANSFER: frozenset({Role.AGENT, Role.SUPER_AGENT}),
    Action.PUBLISH_RESPONSE: frozenset({Role.SUPER_AGENT}),
    Action.MANAGE_ACTIONS: frozenset({Role.AGENT, Role.SUPER_AGENT, Role.REFERENT}),
    # seed 003 opens diagnostics to five profiles; the team that runs the service fills it in, while a
    # referent steers the network and reads the results and consolidations.
    Action.DIAGNOSE: frozenset({Role.AGENT, Role.SUPER_AGENT, Role.EVALUATOR, Role.SUPER_EVALUATOR}),
    Action.READ_DIAGNOSTICS: ALL_ROLES,
    Action.IMPORT_RESULTS: frozenset({Role.REFERENT}),
    # The network's referents run its accounts; the DITP does it from the admin.
    Action.MANAGE_MEMBERS: frozenset({Role.REFERENT}),
    Action.SET_TARGETS: frozenset({Role.REFERENT}),
}
# DITP moderators read everything and comment, but answer for no structure.
MODERATOR_ACTIONS = frozenset({Action.VIEW, Action.VIEW_DASHBOARD, Action.COMMENT, Action.READ_DIAGNOSTICS})


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_moderator))


def structure_scope(user, action: Action = Action.VIEW) -> Q:
    """A Q over Structure matching the subtrees where `user` may do `action`."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if sees_everything(user) and (user.is_superuser or action in MODERATOR_ACTIONS):
        return Q()
    return membership_scope(user, ROLES_ALLOWED[action])


def membership_scope(user, roles) -> Q:
    """A Q over Structure matching the subtrees of the user's own memberships with `roles`, whoever they are."""
    roots = _remembered(
        user,
        ("roots", frozenset(roles)),
        lambda: set(
            Structure.objects.filter(memberships__user=user, memberships__role__in=roles).values_list(
                "tree_id", "lft", "rght"
            )
        ),
    )
    scope = Q(pk__in=[])
    for tree_id, lft, rght in sorted(roots):
        scope |= Q(tree_id=tree_id, lft__gte=lft, rght__lte=rght)
    return scope


# Up to this many structures a scope goes to the database as their ids, not as a subquery on the tree's
# bounds: the planner then reads from the routing table's statistics how few rows they hold. On the tree's
# bounds it guessed tens of thousands of routings for one office and walked the experiences' primary key
# (a local agent's capped count: 290 ms instead of 20 on a million experiences, bench/agent_pages.py).
SCOPE_IDS_UP_TO = 500


def scoped_structure_ids(user, action: Action = Action.VIEW) -> list[int] | QuerySet:
    """The primary keys of the structures in `user`'s scope: a list when small, else a subquery."""

    def ids():
        pks = list(structures_visible_to(user, action).order_by().values_list("pk", flat=True)[: SCOPE_IDS_UP_TO + 1])
        return pks if len(pks) <= SCOPE_IDS_UP_TO else None

    pks = _remembered(user, ("ids", action), ids)
    return pks if pks is not None else structures_visible_to(user, action).values("pk")


def _remembered(user, key, compute):
    """`compute()` once per user object, as Django's permission checks are (`user._perm_cache`): a request
    reads the user's scope once however many lists and filters ask for it. A membership granted later is
    seen by the next request, or by a user object fetched again."""
    remembered = getattr(user, "_scope_cache", None)
    if remembered is None:
        remembered = user._scope_cache = {}
    if key not in remembered:
        remembered[key] = compute()
    return remembered[key]


def structures_visible_to(user, action: Action = Action.VIEW) -> QuerySet[Structure]:
    return Structure.objects.filter(structure_scope(user, action))


def roles_on(user, structure: Structure) -> set[Role]:
    """The roles `user` holds on `structure` itself or on one of its ancestors."""
    if not (user.is_authenticated and user.is_active):
        return set()
    # The tree bounds are read in the same query, not from the instance: inserting or moving any
    # structure renumbers lft/rght (and tree_id, mptt orders roots by name), so an instance loaded
    # before that would match the wrong ancestors.
    below_membership = Structure.objects.filter(
        pk=structure.pk,
        tree_id=OuterRef("structure__tree_id"),
        lft__gte=OuterRef("structure__lft"),
        rght__lte=OuterRef("structure__rght"),
    )
    memberships = Membership.objects.filter(Exists(below_membership), user=user)
    return {Role(role) for role in memberships.values_list("role", flat=True)}


def can(user, action: Action, structure: Structure) -> bool:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    if sees_everything(user) and action in MODERATOR_ACTIONS:
        return True
    return bool(roles_on(user, structure) & ROLES_ALLOWED[action])


def is_member(user) -> bool:
    """Whether `user` may enter the agents' back-office at all."""
    return bool(user.is_authenticated and user.is_active and (sees_everything(user) or member_roles(user)))


def member_roles(user) -> frozenset[Role]:
    """The roles of `user`'s memberships, wherever they are: one query, kept on the user object, which
    lives for one request; `is_member` reads it on every agent page, so the menu gets it for free."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_member_roles"):
        user._member_roles = frozenset(Role(role) for role in user.memberships.values_list("role", flat=True))
    return user._member_roles


def may_import_results(user) -> bool:
    """Whether the agents' menu offers the import module: `networks_importable_by`'s rule, without its query.

    A DITP moderator is not offered it (the figures are the networks' own to publish) and pays no query
    for it: `is_member` lets them in without reading their memberships.
    """
    if not (user.is_authenticated and user.is_active) or (user.is_moderator and not user.is_superuser):
        return False
    return user.is_superuser or bool(member_roles(user) & ROLES_ALLOWED[Action.IMPORT_RESULTS])


def may_manage_members(user) -> bool:
    """Whether the agents' menu offers « Habilitations »: referents and superusers, read without a query.

    A DITP moderator manages accounts in the admin and pays no query for it, as for `may_import_results`."""
    if not (user.is_authenticated and user.is_active) or (user.is_moderator and not user.is_superuser):
        return False
    return user.is_superuser or bool(member_roles(user) & ROLES_ALLOWED[Action.MANAGE_MEMBERS])


def actions_on(user, structures) -> dict[int, set[Action]]:
    """For each structure, what `user` may do there: one query, for a page showing several structures."""
    structures = list(structures)
    if not (user.is_authenticated and user.is_active):
        return {s.pk: set() for s in structures}
    if user.is_superuser:
        return {s.pk: set(Action) for s in structures}
    memberships = list(
        Membership.objects.filter(user=user).values_list(
            "role", "structure__tree_id", "structure__lft", "structure__rght"
        )
    )
    granted = {}
    for structure in structures:
        roles = {
            Role(role)
            for role, tree_id, lft, rght in memberships
            if tree_id == structure.tree_id and lft <= structure.lft and structure.rght <= rght
        }
        actions = {action for action, allowed in ROLES_ALLOWED.items() if roles & allowed}
        if sees_everything(user):
            actions |= MODERATOR_ACTIONS
        granted[structure.pk] = actions
    return granted


def sees_whole_country(user) -> bool:
    """The national figures (no structure, no network chosen) are the DITP's: moderators and superusers."""
    return sees_everything(user)


def networks_seen_whole_by(user) -> QuerySet[Network]:
    """Networks whose whole dashboard the user may open: all for the DITP, their own for a network referent."""
    if sees_whole_country(user):
        return Network.objects.order_by("name")
    led = Membership.objects.filter(user=user, role=Role.REFERENT, structure__level=0).values("structure__network_id")
    # A network may span several trees (« hors réseau ») or hold a structure moved from elsewhere: only a
    # network with no structure outside the user's own scope is theirs to see whole.
    outside = Structure.objects.exclude(structure_scope(user, Action.VIEW_DASHBOARD)).values("network_id")
    return Network.objects.filter(pk__in=led).exclude(pk__in=outside).order_by("name")


def networks_importable_by(user) -> QuerySet[Network]:
    """Networks a user may import transparency results for: those where they are a referent (seed 003).

    Not the DITP's: moderators read results but the figures are the network's own to publish.
    """
    if not (user.is_authenticated and user.is_active):
        return Network.objects.none()
    scope = structure_scope(user, Action.IMPORT_RESULTS)
    return Network.objects.filter(Exists(Structure.objects.filter(scope, network=OuterRef("pk")))).order_by("name")


def structures_importable_by(user, network: Network) -> QuerySet[Structure]:
    """The structures of `network` whose results `user` may import: their referent subtrees in it."""
    return Structure.objects.filter(structure_scope(user, Action.IMPORT_RESULTS), network=network)


def networks_targeted_by(user) -> QuerySet[Network]:
    """Networks whose own response-time target `user` may set: all for a superuser, else those where they are
    the referent of a root structure (a subtree's referent tightens their subtree only)."""
    if not (user.is_authenticated and user.is_active):
        return Network.objects.none()
    if user.is_superuser:
        return Network.objects.order_by("name")
    led = Membership.objects.filter(user=user, role=Role.REFERENT, structure__level=0).values("structure__network_id")
    return Network.objects.filter(pk__in=led).order_by("name")

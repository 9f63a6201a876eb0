"""The referents' management of memberships (issue 18): add an agent to a structure of their scope with a
role, opening the account if needed, remove a membership; each change leaves an audit row."""

from django.db import transaction

from common.exceptions import Refused
from structures.models import Membership, MembershipChange, MembershipChangeKind, Role, Structure
from structures.permissions import Action, can, structure_scope

from .models import User
from .services import has_admin_access, never_signed_in, send_first_login_link

NOT_IN_SCOPE = "Aucune structure de ce code dans votre périmètre."


def structures_managed_by(user):
    """The structures whose memberships `user` manages: their referent subtrees (every one for a superuser)."""
    return Structure.objects.filter(structure_scope(user, Action.MANAGE_MEMBERS))


def memberships_managed_by(user):
    return Membership.objects.filter(structure__in=structures_managed_by(user).values("pk"))


@transaction.atomic
def add_member(
    *, structure: Structure, email: str, role: Role, by: User, first_name: str = "", last_name: str = ""
) -> tuple[Membership, bool]:
    """Give `email` the role on `structure`; an unknown address gets an account and the e-mail with the
    single-use link to choose its password (seed 003). Returns the membership and whether the account is new."""
    if not can(by, Action.MANAGE_MEMBERS, structure):
        raise Refused(NOT_IN_SCOPE, field="structure")
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email, first_name=first_name, last_name=last_name)  # no usable password
        send_first_login_link(user)
    elif not user.is_active:
        raise Refused("Ce compte est désactivé : adressez-vous à la DITP.", field="email")
    elif has_admin_access(user) and not by.is_superuser:
        # A referent must not attach structures to an administrator's or a moderator's account.
        raise Refused("Ce compte a accès à l'administration : seule la DITP peut le modifier.", field="email")
    membership, added = Membership.objects.get_or_create(user=user, structure=structure, role=role)
    if not added:
        raise Refused("Cette personne a déjà ce rôle sur cette structure.", field="email")
    _record(MembershipChangeKind.ADDED, membership, by)
    return membership, created


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    """Withdraw a membership of the scope; nobody withdraws their own (they would lose the page they are on)."""
    if not can(by, Action.MANAGE_MEMBERS, membership.structure):
        raise Refused(NOT_IN_SCOPE)
    if membership.user_id == by.pk:
        raise Refused("Vous ne pouvez pas retirer votre propre habilitation : demandez-le à la DITP.")
    _record(MembershipChangeKind.REMOVED, membership, by)
    membership.delete()


def resend_first_login_link(*, membership: Membership, by: User) -> None:
    """Send the welcome e-mail again to a member of the scope whose account has never been opened."""
    if not can(by, Action.MANAGE_MEMBERS, membership.structure):
        raise Refused(NOT_IN_SCOPE)
    if not never_signed_in(membership.user) or not membership.user.is_active:
        raise Refused("Ce compte est déjà ouvert : la personne peut demander un nouveau mot de passe elle-même.")
    send_first_login_link(membership.user)


def _record(kind: str, membership: Membership, by: User) -> MembershipChange:
    return MembershipChange.objects.create(
        kind=kind,
        structure=membership.structure,
        structure_code=membership.structure.code,
        member=membership.user,
        member_email=membership.user.email,
        role=membership.role,
        changed_by=by,
    )


def changes_seen_by(user):
    """The audit rows of the structures `user` manages, newest first."""
    return MembershipChange.objects.filter(structure__in=structures_managed_by(user).values("pk")).select_related(
        "changed_by"
    )

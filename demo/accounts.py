"""Demo accounts: one per role on real structures of the DGFiP tree, a DITP moderator and an administrator.

The agent sits on a local tax office that the generator feeds with experiences in every state,
the super agent and the super evaluator on its regional direction, the referent on the network
root: each role sees something meaningful. Other answers are signed by one generated responder
per network, whose account cannot log in.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from accounts.models import PolitenessFormula, Signature, User
from structures.models import Membership, Network, Role, Structure

# Printed with the logins; the command refuses to run with DEBUG off unless forced.
DEMO_PASSWORD = "Demo-SPplus-2026"
DEMO_DOMAIN = "demo.spplus.fr"
RESPONDER_DOMAIN = "repondants.demo.spplus.fr"
# SIP Lyon 3e arrondissement, under the DRFiP Auvergne-Rhône-Alpes et Rhône, in the DGFiP tree.
AGENT_STRUCTURE_CODE = "jmWbxtkHfv"
FALLBACK_TYPOLOGY = "Service des Impôts des particuliers"


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    label: str
    role: Role | None = None
    place: str = ""  # "local", "parent" or "root": where the membership goes


DEMO_ACCOUNTS = (
    DemoAccount("agent", f"agent@{DEMO_DOMAIN}", "Répondant", Role.AGENT, "local"),
    DemoAccount("super_agent", f"super-agent@{DEMO_DOMAIN}", "Super répondant", Role.SUPER_AGENT, "parent"),
    DemoAccount("evaluator", f"evaluateur@{DEMO_DOMAIN}", "Évaluateur", Role.EVALUATOR, "local"),
    DemoAccount(
        "super_evaluator", f"super-evaluateur@{DEMO_DOMAIN}", "Super évaluateur", Role.SUPER_EVALUATOR, "parent"
    ),
    DemoAccount("referent", f"referent@{DEMO_DOMAIN}", "Référent réseau", Role.REFERENT, "root"),
    DemoAccount("moderator", f"moderateur@{DEMO_DOMAIN}", "Modérateur DITP"),
    DemoAccount("admin", f"admin@{DEMO_DOMAIN}", "Administrateur"),
)
FIRST_NAMES = {
    "agent": ("Camille", "Roux"),
    "super_agent": ("Nadia", "Benali"),
    "evaluator": ("Julien", "Moreau"),
    "super_evaluator": ("Sophie", "Lefèvre"),
    "referent": ("Marc", "Girard"),
    "moderator": ("Léa", "Fontaine"),
    "admin": ("Thomas", "Mercier"),
}
FORMULAS = (
    "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
    "Bien cordialement,",
)


@dataclass
class DemoStructures:
    local: Structure
    parent: Structure
    root: Structure

    def for_place(self, place: str) -> Structure:
        return {"local": self.local, "parent": self.parent, "root": self.root}[place]


def demo_structures() -> DemoStructures:
    """The real structures the demo roles sit on; another tax office if the referential changed."""
    local = (
        Structure.objects.filter(code=AGENT_STRUCTURE_CODE).first()
        or Structure.objects.filter(typology__name=FALLBACK_TYPOLOGY, level__gte=2).order_by("code").first()
        or Structure.objects.filter(level__gte=2).order_by("code").first()
        or Structure.objects.order_by("-level", "code").first()
    )
    if local is None:
        raise LookupError("Aucune structure : importez d'abord le référentiel des structures.")
    parent = local.parent or local
    return DemoStructures(local=local, parent=parent, root=local.get_root())


def create_demo_accounts(structures: DemoStructures) -> dict[str, User]:
    """Create or reset the demo accounts (idempotent): password, flags, membership, formulas, signatures."""
    users = {}
    # One hash for all: the hasher's work factor is meant for real passwords, not for seven demo logins.
    password = make_password(DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        first_name, last_name = FIRST_NAMES[account.key]
        user = User.objects.filter(email=account.email).first() or User(email=account.email)
        user.first_name, user.last_name = first_name, last_name
        user.is_moderator = account.key == "moderator"
        user.is_staff = account.key in ("moderator", "admin")
        user.is_superuser = account.key == "admin"
        user.password = password
        user.save()
        if account.role:
            Membership.objects.get_or_create(
                user=user, structure=structures.for_place(account.place), role=account.role
            )
        if account.role in (Role.AGENT, Role.SUPER_AGENT):
            _give_formulas_and_signatures(user, structures.for_place(account.place))
        users[account.key] = user
    return users


def _give_formulas_and_signatures(user: User, structure: Structure) -> None:
    if user.formulas.exists():
        return
    name = structure.display_name
    PolitenessFormula.objects.bulk_create(
        PolitenessFormula(user=user, text=text, position=position) for position, text in enumerate(FORMULAS)
    )
    signatures = (f"{user.get_full_name()}\n{name}", f"Le service relations usagers\n{name}")
    Signature.objects.bulk_create(
        Signature(user=user, text=text, position=position) for position, text in enumerate(signatures)
    )


def create_network_responders() -> dict[int, int]:
    """One responder per network (super agent on its root, no usable password): network id → user id."""
    roots = {s.network_id: s for s in Structure.objects.filter(parent__isnull=True).order_by("tree_id")}
    responders = {}
    for network in Network.objects.filter(pk__in=roots).order_by("name"):
        email = f"{slugify(network.name)[:50]}@{RESPONDER_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name="Équipe réponses", last_name=network.name[:150])
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(user=user, structure=roots[network.pk], role=Role.SUPER_AGENT)
        responders[network.pk] = user.pk
    return responders


def login_rows() -> list[tuple[str, str, str, str]]:
    """(role, e-mail, password, structure) of the demo accounts present in the database."""
    rows = []
    users = {u.email: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    for account in DEMO_ACCOUNTS:
        user = users.get(account.email)
        if user is None:
            continue
        membership = user.memberships.select_related("structure").first()
        if membership:
            place = f"{membership.structure.display_name} ({membership.structure.code})"
        elif user.is_superuser:
            place = "toutes (superutilisateur)"
        else:
            place = "toutes (modération DITP)"
        rows.append((account.label, account.email, DEMO_PASSWORD, place))
    return rows


def format_logins(rows: list[tuple[str, str, str, str]]) -> str:
    """The logins as a plain-text table, in French."""
    if not rows:
        return "Aucun compte de démonstration dans cette base (lancez « manage.py seed_demo » sur une base vide)."
    header = ("Rôle", "E-mail", "Mot de passe", "Structure")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    rule = "  ".join("-" * width for width in widths)
    title = "Comptes de démonstration (connexion agents : /agents/connexion/, modération : /admin/)"
    head = "  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)).rstrip()
    return "\n".join([title, head, rule, *lines])

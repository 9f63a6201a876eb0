"""The 9 common commitments of Services Publics+, in their full wording (seed 004, « 9 ENGAGEMENTS »).

Plain data: the public pages show them, the diagnostics questionnaire is organised by them.
A commitment is identified by its number (1–9), which never changes.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# seed 004: « Nous nous engageons pour améliorer les services publics », the promise above the list.
PROMISE = "Nous nous engageons pour améliorer les services publics"
# seed 004, under the list.
DECLINATION = (
    "Ces engagements sont affichés et déclinés par tous les réseaux de service public selon leurs missions, "
    "leurs spécificités métiers et leurs enjeux particuliers."
)


@dataclass(frozen=True)
class Commitment:
    number: int
    group: str
    title: str
    text: str
    # The words the seed sets in bold, shown emphasised; each must occur in `text`.
    highlights: tuple[str, ...] = ()

    @property
    def html(self) -> SafeString:
        """The wording with its highlighted words in <strong>, everything else escaped."""
        html = escape(self.text)
        for word in self.highlights:
            html = html.replace(escape(word), f"<strong>{escape(word)}</strong>", 1)
        return mark_safe(html)


@dataclass(frozen=True)
class CommitmentGroup:
    key: str
    label: str
    commitments: tuple[Commitment, ...]


COMMITMENTS: tuple[Commitment, ...] = (
    Commitment(
        1,
        "proches",
        "Bienveillance et droit à l'erreur",
        "Dans le respect mutuel, vous êtes accueillis avec courtoisie et bienveillance, "
        "et dans les conditions prévues par la loi vous avez le droit à l'erreur",
        ("bienveillance",),
    ),
    Commitment(
        2,
        "proches",
        "Joignabilité",
        "Nous sommes joignables par téléphone ou sur place et nous facilitons vos démarches en ligne",
        ("joignables",),
    ),
    Commitment(
        3,
        "proches",
        "Accompagnement",
        "Vous bénéficiez d'un accompagnement adapté à votre situation personnelle",
        ("accompagnement",),
    ),
    Commitment(
        4,
        "efficaces",
        "Orientation",
        "Nous vous orientons vers la personne compétente pour traiter votre demande",
        ("orientons",),
    ),
    Commitment(
        5,
        "efficaces",
        "Réponse et information",
        "Vous recevez une réponse à vos demandes dans les délais annoncés "
        "et vous êtes informés sur l'avancement de votre dossier",
        ("réponse", "informés"),
    ),
    Commitment(
        6,
        "efficaces",
        "Transparence des résultats",
        "Vous avez accès à nos résultats de qualité de service",
        ("résultats",),
    ),
    Commitment(
        7,
        "simples",
        "Prise en compte des avis",
        "Vos avis sont pris en compte pour améliorer et simplifier nos démarches",
        ("avis",),
    ),
    Commitment(
        8,
        "simples",
        "Compétences et amélioration continue",
        "Nous développons en permanence nos compétences et nous améliorons en continu",
        ("compétences", "améliorons en continu"),
    ),
    Commitment(
        9,
        "simples",
        "Éco-responsabilité",
        "Nous sommes éco-responsables",
        ("éco-responsables",),
    ),
)

# seed 004 groups the commitments under « + PROCHES », « + EFFICACES », « + SIMPLES ».
_GROUP_LABELS = {"proches": "+ proches", "efficaces": "+ efficaces", "simples": "+ simples"}

COMMITMENT_GROUPS: tuple[CommitmentGroup, ...] = tuple(
    CommitmentGroup(key, label, tuple(c for c in COMMITMENTS if c.group == key)) for key, label in _GROUP_LABELS.items()
)


def get_commitment(number: int) -> Commitment:
    """The commitment with this number; KeyError for a number outside 1–9."""
    for commitment in COMMITMENTS:
        if commitment.number == number:
            return commitment
    raise KeyError(number)

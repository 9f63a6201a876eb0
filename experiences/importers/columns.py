"""The columns of the open-data « expériences » export (seed 000) and the labels its cells may hold."""

import re
from zoneinfo import ZoneInfo

from common.csv_import import fold

from ..models import AuthorType, Channel, ExperienceStatus, Feeling, GeneralTag, ResponseStatus

PARIS = ZoneInfo("Europe/Paris")  # seed 000: dates « DD/MM/AAAA – HH:MM », French local time
POSITIONS = (1, 2, 3)
COLUMNS = {
    "public_id": "ID expérience",
    "state": "Etat expérience",
    "status": "Statut de l'expérience",
    "published_at": "Date de publication",
    "title": "Titre",
    "description": "Description",
    "author_type": "Posté comme",
    "feeling": "Ressenti usager",
    "department": "Code INSEE Département usager",
    "region": "Code INSEE Région usager",
    "country": "Pays",
    "me_too_count": "Expériences Similaires",
    "needs_improvement": "Amélioration de service à considérer",
    "action": "Action",
    "action_done_on": "Date action réalisée",
    "action_engaged_on": "Date action engagée",
    "business_tags": "Tags Métiers",
    **{f"typology_{n}": f"Intitulé Typologie {n}" for n in POSITIONS},
    **{f"typology_postal_code_{n}": f"Code Postal typologie {n}" for n in POSITIONS},
    **{f"typology_country_{n}": f"Pays Typologie {n}" for n in POSITIONS},
    **{f"typology_channels_{n}": f"Canaux Typologie {n}" for n in POSITIONS},
    **{f"structure_{n}": f"ID structure {n}" for n in POSITIONS},
    **{tag: tag.label for tag in GeneralTag},
}
# In the official export, not in every re-saved copy (the sample dropped some), and in our own (opendata/).
OPTIONAL_COLUMNS = {
    "is_outside_structures": "Hors structure",
    "first_response_at": "Date de la première réponse",
    **{f"business_tags_{n}": f"Tags métiers typologie {n}" for n in POSITIONS},
    **{f"response_status_{n}": f"Statut réponse structure {n}" for n in POSITIONS},
    # The evaluations of a routing answered elsewhere: kept on the routing (Assignment.imported_*), since
    # the export carries no response text to build a Response from.
    **{f"useful_votes_{n}": f"Evaluation utile réponse structure {n} par visiteurs" for n in POSITIONS},
    **{f"not_useful_votes_{n}": f"Evaluation inutile réponse structure {n} par visiteurs" for n in POSITIONS},
    **{f"author_evaluation_{n}": f"Evaluation réponse structure {n} par auteur" for n in POSITIONS},
}

C1_CONTROLS = re.compile("[\x80-\x9f]")
FLOAT_CODE = re.compile(r"^(\d+)\.0+$")


def _labels(choices) -> dict[str, str]:
    return {fold(label): value for value, label in choices}


FEELINGS = _labels(Feeling.choices)
AUTHOR_TYPES = _labels(AuthorType.choices)
STATUSES = _labels(ExperienceStatus.choices)
RESPONSE_STATUSES = _labels(ResponseStatus.choices)
CHANNELS = _labels(Channel.choices) | {"tchat": Channel.CHAT, "visio": Channel.VIDEO, "video": Channel.VIDEO}
# seed 000: « Etat expérience » is A traiter (awaiting an answer) or Traitées (everything else).
PROCESSED = {"a traiter": False, "traitee": True, "traitees": True}
BOOLEANS = {"oui": True, "non": False, "": False}
AUTHOR_EVALUATIONS = {"utile": True, "pas utile": False}


def repair_mojibake(text: str) -> str:
    """C1 controls come from CP1252 bytes read as Latin-1 (U+0092 for ’): map them back through CP1252."""
    return C1_CONTROLS.sub(lambda match: match.group().encode("latin-1").decode("cp1252", errors="ignore"), text)

"""The Table Schema (frictionless) of each published file: one source for the header, the page and the JSON.

The results schema is transparency's own (`transparency/schemas/resultats.json`): the published results
file is the file referents import.
"""

from transparency.validation import SCHEMA as RESULTS_SCHEMA

from .formats import DATE_FORMAT, DATETIME_FORMAT

POSITIONS = (1, 2, 3)
FEELINGS = ["Positif", "Neutre", "Négatif"]
YES_NO = ["Oui", "Non"]
RESPONSE_STATUSES = [
    "En attente de réponse",
    "Réponse en attente de validation",
    "Réponse apportée",
    "Réponse modifiée avec notification",
    "Réponse dépubliée",
    "Réponse adoptée",
]
CODE_PATTERN = "[A-Za-z0-9-]{1,10}"


def field(name: str, description: str, type_: str = "string", **constraints) -> dict:
    spec = {"name": name, "type": type_, "description": description}
    if type_ == "date":
        spec["format"] = DATE_FORMAT
    if type_ == "datetime":
        spec["format"] = DATETIME_FORMAT
    if constraints:
        spec["constraints"] = constraints
    return spec


def table_schema(name: str, title: str, description: str, fields: list[dict], primary_key: list[str]) -> dict:
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": name,
        "title": title,
        "description": description + " Fichier CSV en UTF-8, séparateur point-virgule, une ligne d'en-tête.",
        "fields": fields,
        "primaryKey": primary_key,
        "missingValues": [""],
    }


STRUCTURES = table_schema(
    "structures-services-publics-plus",
    "Référentiel des structures (Services Publics+)",
    "Les structures des réseaux de service public en relation avec les usagers, actives ou non, "
    "dans l'ordre de leur arborescence (une arborescence par réseau).",
    [
        field(
            "Code SP+ de la structure",
            "Identifiant unique de la structure.",
            required=True,
            unique=True,
            pattern=CODE_PATTERN,
        ),
        field("Intitulé du réseau", "Le réseau de service public de la structure.", required=True),
        field("Intitulé de la typologie", "Le type d'organisme que les usagers reconnaissent."),
        field("Intitulé de la structure", "Le nom de la structure.", required=True),
        field("Intitulé structure usager", "Le nom montré aux usagers, s'il diffère."),
        field("Description de la structure", "Présentation libre."),
        field("Identifiant de la structure", "Identifiant dans un autre référentiel (SIRET…)."),
        field("Type d'identifiant", "Le référentiel de cet identifiant."),
        field(
            "Code SP+ structure parent",
            "Code de la structure parente ; vide pour la racine du réseau.",
            pattern=CODE_PATTERN,
        ),
        field("Intitulé de la structure parente", "Nom de la structure parente."),
        field("Adresse", "Adresse postale."),
        field("Compléments Adresse", "Complément d'adresse."),
        field("Code postal de la structure", "Code postal (5 chiffres en France)."),
        field("Ville", "Commune."),
        field("PAYS", "Pays, en toutes lettres."),
        field("Codes Postaux", "Codes postaux desservis."),
        field("Départements", "Départements desservis."),
        field("URL du site internet", "Site internet de la structure."),
        field("Boîte à lettre fonctionnelle", "Adresse électronique de la structure."),
        field("Clé de tracking", "Clé de suivi des liens de partage de la structure."),
        field("Actif", "Oui si la structure est active.", required=True, enum=YES_NO),
        field("Code sp+ de la typologie", "Identifiant de la typologie.", pattern=CODE_PATTERN),
        field("INSEE Ville", "Code INSEE de la commune, préfixé par « com ».", pattern="(com[0-9AB]{5})?"),
        field("INSEE Département", "Code INSEE du département, préfixé par « dep ».", pattern="(dep[0-9AB]{2,3})?"),
        field("INSEE Région", "Code INSEE de la région, préfixé par « reg ».", pattern="(reg[0-9]{2})?"),
        field(
            "INSEE Arrondissement", "Code INSEE de l'arrondissement, préfixé par « arr ».", pattern="(arr[0-9AB-]+)?"
        ),
    ],
    ["Code SP+ de la structure"],
)

TYPOLOGIES = table_schema(
    "typologies-services-publics-plus",
    "Référentiel des typologies (Services Publics+)",
    "Les types d'organismes (« Préfecture », « CAF »…) auxquels une expérience se rapporte, par réseau.",
    [
        field(
            "Code SP+ de la typologie",
            "Identifiant unique de la typologie.",
            required=True,
            unique=True,
            pattern=CODE_PATTERN,
        ),
        field("Intitulé de la typologie", "Le nom de l'organisme tel que les usagers le reconnaissent.", required=True),
        field("Intitulé du réseau", "Le réseau de service public de la typologie.", required=True),
    ],
    ["Code SP+ de la typologie"],
)

INDICATORS = table_schema(
    "indicateurs-services-publics-plus",
    "Référentiel des indicateurs (Services Publics+)",
    "Les indicateurs de qualité de service publiés par les structures : les indicateurs communs à tous "
    "les réseaux et ceux propres à un réseau.",
    [
        field(
            "Code SP+ de l'indicateur", "Identifiant unique, IND-<n>.", required=True, unique=True, pattern="IND-[0-9]+"
        ),
        field("Réseau", "Le réseau de l'indicateur ; vide pour un indicateur commun à tous les réseaux."),
        field("Intitulé original de l'indicateur", "L'intitulé technique de l'indicateur.", required=True),
        field("Intitulé usager de l'indicateur", "L'intitulé montré aux usagers.", required=True),
        field(
            "Type d'indicateur",
            "Ressenti (qualité perçue) ou performance (qualité délivrée).",
            required=True,
            enum=["Performance (qualité délivrée)", "Ressenti (qualité perçue)"],
        ),
        field("Sources et méthodes", "Comment l'indicateur est mesuré."),
        field("Type d'unité", "Taux, note, durée ou nombre.", required=True, enum=["Taux", "Note", "Durée", "Nombre"]),
        field("Unité", "L'unité de la valeur (%, /10, jours…).", required=True),
    ],
    ["Code SP+ de l'indicateur"],
)

RESULTS = RESULTS_SCHEMA


def _typology_fields(n: int) -> list[dict]:
    # The real export spells « Pays Typologie  1 » with two spaces; kept, its readers expect it.
    country = "Pays Typologie  1" if n == 1 else f"Pays Typologie {n}"
    return [
        field(f"Intitulé Typologie {n}", f"Le type d'organisme n° {n} concerné par l'expérience."),
        field(f"Code Postal typologie {n}", "Code postal du service concerné."),
        field(country, "Pays du service concerné (les consulats sont à l'étranger)."),
        field(f"Canaux Typologie {n}", "Canaux de contact utilisés, séparés par des virgules."),
    ]


def _structure_fields(n: int, *, with_status: bool) -> list[dict]:
    author = "Evaluation  réponse structure 1 par auteur" if n == 1 else f"Evaluation réponse structure {n} par auteur"
    name = "Intitulé structure  3" if n == 3 else f"Intitulé structure {n}"
    fields = [
        field(
            f"ID structure {n}",
            f"Code SP+ de la structure n° {n} à laquelle l'expérience est adressée.",
            pattern=CODE_PATTERN,
        ),
        field(name, "Nom de cette structure."),
    ]
    if with_status:
        fields.append(
            field(f"Statut réponse structure {n}", "Où en est la réponse de cette structure.", enum=RESPONSE_STATUSES)
        )
    return fields + [
        field(
            f"Evaluation utile réponse structure {n} par visiteurs",
            "Nombre de visiteurs ayant jugé la réponse utile.",
            "integer",
            minimum=0,
        ),
        field(
            f"Evaluation inutile réponse structure {n} par visiteurs",
            "Nombre de visiteurs ayant jugé la réponse inutile.",
            "integer",
            minimum=0,
        ),
        field(
            author,
            "L'avis de l'auteur sur la réponse : utile, pas utile, ou vide s'il n'en a pas donné.",
            enum=["utile", "pas utile"],
        ),
    ]


GENERAL_TAGS = ["Accessibilité", "Information/Explication", "Relation", "Réactivité", "Simplicité/Complexité"]

# The real export's 46 columns in its order (../shared/data/spplus/experiences-sample-300.csv), then those
# that copy dropped, in seed 000's order. The dropped ones are the structure 1 status, structures 2 and 3
# statuses and evaluations, per-typology business tags and the first response's date.
_EXPORT_FIELDS = [
    field(
        "ID expérience",
        "Identifiant unique de l'expérience (6 ou 7 chiffres).",
        "integer",
        required=True,
        unique=True,
        minimum=100000,
        maximum=9999999,
    ),
    field(
        "Etat expérience",
        "A traiter (en attente de réponse) ou Traitées.",
        required=True,
        enum=["A traiter", "Traitées"],
    ),
    field(
        "Statut de l'expérience",
        "Où en est l'expérience.",
        required=True,
        enum=[
            "Expérience en attente de réponse",
            "Expérience avec réponse",
            "Expérience avec action engagée",
            "Expérience avec action réalisée",
        ],
    ),
    field("Date de publication", "JJ/MM/AAAA HH:MM, heure de Paris.", "datetime", required=True),
    field("Titre", "Le titre donné par l'usager.", required=True, maxLength=230),
    field("Description", "Le récit de l'usager, tel que publié après modération.", required=True),
    field(
        "Posté comme",
        "Qui a partagé l'expérience.",
        required=True,
        enum=["La personne concernée", "Un proche de la personne concernée", "Un agent de médiation"],
    ),
    field("Ressenti usager", "Le ressenti de l'usager.", required=True, enum=FEELINGS),
    field("Code INSEE Département usager", "Code INSEE du département de l'usager.", pattern="[0-9AB]{2,3}"),
    field("Intitulé département usager", "Nom du département de l'usager (INSEE)."),
    field("Intitulé région usager", "Nom de la région de l'usager (INSEE)."),
    field("Code INSEE Région usager", "Code INSEE de la région de l'usager.", pattern="[0-9]{2}"),
    field("Pays", "Pays de résidence de l'usager."),
    *_typology_fields(1),
    *_typology_fields(2),
    *_typology_fields(3),
    field("Hors structure", "Oui si aucune structure du référentiel ne correspondait.", required=True, enum=YES_NO),
    *_structure_fields(1, with_status=False),
    *_structure_fields(2, with_status=False)[:2],
    *_structure_fields(3, with_status=False)[:2],
    *[
        field(tag, f"Tag général « {tag} » posé par la modération, avec sa valeur.", enum=FEELINGS)
        for tag in GENERAL_TAGS
    ],
    field("Expériences Similaires", "Nombre d'usagers ayant dit « moi aussi ».", "integer", required=True, minimum=0),
    field(
        "Amélioration de service à considérer",
        "Oui si une structure y voit une amélioration à considérer.",
        required=True,
        enum=YES_NO,
    ),
    field("Action", "L'action d'amélioration publiée liée à l'expérience."),
    field("Date action réalisée", "JJ/MM/AAAA.", "date"),
    field("Date action engagée", "JJ/MM/AAAA.", "date"),
    field("Tags Métiers", "Les tags métier de toutes les typologies, séparés par des points-virgules."),
]
_DROPPED_FIELDS = [
    *[
        field(f"Tags métiers typologie {n}", f"Les tags métier de la typologie {n}, séparés par des points-virgules.")
        for n in POSITIONS
    ],
    _structure_fields(1, with_status=True)[2],
    *_structure_fields(2, with_status=True)[2:],
    *_structure_fields(3, with_status=True)[2:],
    field("Date de la première réponse", "JJ/MM/AAAA HH:MM, heure de Paris : la première réponse publiée.", "datetime"),
]
EXPERIENCES = table_schema(
    "experiences-services-publics-plus",
    "Expériences publiées (Services Publics+)",
    "Les expériences des usagers publiées après modération, sans l'adresse électronique de leur auteur.",
    _EXPORT_FIELDS + _DROPPED_FIELDS,
    ["ID expérience"],
)


def header(schema: dict) -> list[str]:
    return [spec["name"] for spec in schema["fields"]]

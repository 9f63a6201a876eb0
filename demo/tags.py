"""Business tags (« tags métier ») of the demo: a few shared themes plus each network's own subjects (seed 000)."""

from structures.models import BusinessTag, Network

COMMON_TAGS = ("Délais de traitement", "Prise de rendez-vous", "Accueil physique", "Accueil téléphonique")
NETWORK_TAGS = {
    "CNAF": ("Aides au logement", "RSA et prime d'activité", "Prestations familiales", "Indus et contrôles"),
    "CNAM": ("Carte Vitale", "Remboursements", "Indemnités journalières", "Complémentaire santé solidaire"),
    "CNAV": ("Départ à la retraite", "Relevé de carrière", "Paiement de la pension", "Pension de réversion"),
    "AGIRC-ARRCO": ("Retraite complémentaire", "Paiement de la pension"),
    "CCMSA": ("Cotisations agricoles", "Prestations familiales", "Retraite agricole"),
    "DGFIP": (
        "Prélèvement à la source",
        "Déclaration de revenus",
        "Taxe foncière",
        "Remboursement",
        "Espace particulier",
    ),
    "POLE EMPLOI": ("Inscription", "Indemnisation", "Accompagnement", "Formation"),
    "POLICE NATIONALE": ("Dépôt de plainte", "Accueil au commissariat", "Intervention", "Procuration"),
    "Gendarmerie Nationale": ("Dépôt de plainte", "Intervention", "Prévention", "Procuration"),
    "Administration territoriale de l'Etat": (
        "Titres de séjour",
        "Naturalisation",
        "Permis de conduire",
        "Carte grise",
    ),
    "ANTS": ("Carte grise", "Permis de conduire", "Titres d'identité"),
    "Ministère de l’Europe et des Affaires étrangères (MEAE)": (
        "Passeport et carte d'identité",
        "État civil",
        "Élections",
        "Inscription consulaire",
        "Visas",
    ),
    "URSSAF": ("Cotisations", "Micro-entreprise", "Emploi à domicile"),
    "France services": ("Accompagnement numérique", "Orientation vers un partenaire"),
    "Collectivités territoriales - Communes": ("État civil", "Titres d'identité", "Urbanisme", "Écoles"),
    "Collectivités territoriales - Départements": ("Autonomie", "Protection de l'enfance", "Insertion"),
    "Ministère de la Justice": ("Suivi de procédure", "Accès au droit", "Greffe"),
    "DGDDI": ("Dédouanement", "Colis et envois postaux", "Contrôles"),
    "LES CROUS": ("Bourses", "Logement étudiant", "Restauration"),
    "Universités et écoles": ("Inscription", "Scolarité", "Diplômes"),
    "Réseau des rectorats et DSDEN": ("Affectation des élèves", "Examens", "Bourses"),
    "Services numériques du ministère de l'Intérieur": ("Amendes et contraventions", "Examen du permis", "Élections"),
    "MTE-MCTRCT": ("Rénovation énergétique", "Chèque énergie", "Vignette Crit'Air"),
    "SGMAS": ("Compte personnel de formation", "Santé"),
    "Etablissement Français du Sang": ("Don du sang", "Collectes"),
    "DSNJ": ("Journée défense et citoyenneté", "Recensement citoyen"),
}


def tag_names(network_name: str) -> tuple[str, ...]:
    return COMMON_TAGS + NETWORK_TAGS.get(network_name, ())


def add_business_tags() -> int:
    """Create the demo business tags of every network (idempotent); returns how many were created."""
    existing = set(BusinessTag.objects.values_list("network_id", "name"))
    wanted = [
        BusinessTag(network_id=network_id, name=name)
        for network_id, network_name in Network.objects.values_list("pk", "name")
        for name in tag_names(network_name)
        if (network_id, name) not in existing
    ]
    BusinessTag.objects.bulk_create(wanted)
    return len(wanted)

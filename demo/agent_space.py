"""Demo of the agents' own space: resources and FAQ (searching « transparence » finds the practical guide and
the import template), the demo structures' tracking keys, and a month of share-form visits through their links
so the dashboard's sources section shows the visits next to the experiences shared."""

import datetime
import random

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from experiences.models import ShareVisit
from resources.models import FaqEntry, Resource, ResourceKind, Theme
from structures.models import Structure
from transparency.template_file import TEMPLATE_FILENAME, import_template_csv
from transparency.validation import SAMPLE_PATH

from .accounts import DemoStructures

THEMES = (
    ("repondre", "Répondre aux expériences"),
    ("usagers", "Les usagers et leurs données"),
    ("dispositif", "Le dispositif Services Publics+"),
    ("promotion", "Promouvoir le dispositif"),
    ("transparence", "Transparence des résultats"),
    ("compte", "Mon compte"),
)

# seed 001, questions 21–29, answered in our own words; then the questions the platform's other pages raise.
FAQ = (
    (
        "repondre",
        "Que puis-je modifier sur une expérience ?",
        "Vous pouvez rattacher l'expérience à une structure fille de la vôtre, signaler une amélioration de service "
        "à considérer, corriger les canaux de contact et le ressenti par canal, les tags généraux et les tags métier.\n"
        "Vous rédigez la réponse, choisissez une formule de politesse et une signature, et ajoutez des commentaires "
        "internes, lus par la DITP et toutes les structures concernées par l'expérience.",
    ),
    (
        "repondre",
        "Une expérience ne concerne pas mon service : comment la réattribuer ?",
        "Si elle concerne une de vos structures filles, rattachez-la vous-même à cette structure.\n"
        "Si elle concerne une autre structure de votre réseau ou un autre réseau, demandez son transfert à la DITP "
        "depuis la page de l'expérience : les modérateurs la réorientent.",
    ),
    (
        "repondre",
        "Comment répondre quand une expérience concerne plusieurs administrations ?",
        "L'expérience est orientée vers chacune des structures, dont les agents sont prévenus. Quand l'une publie sa "
        "réponse, l'autre peut l'adopter telle quelle, s'accorder avec elle dans les commentaires internes, publier "
        "une réponse complémentaire ou rédiger sa propre réponse.",
    ),
    (
        "repondre",
        "Le délai de réponse est-il imposé ?",
        "Non, la DITP n'impose pas de délai. Pour l'usager, une réponse sous 48 à 72 heures est souhaitable.\n"
        "Les délais de réponse de chaque structure, et de chaque réseau, figurent dans le tableau de bord.",
    ),
    (
        "usagers",
        "L'usager est-il tenu au courant des suites de son expérience ?",
        "Oui, par e-mail à chaque étape : publication, rejet ou demande de modification de son expérience, "
        "publication d'une réponse (qu'il est invité à évaluer), puis d'une action d'amélioration.\n"
        "Son adresse ne sert qu'à cela et n'est visible par aucun utilisateur de la plateforme.",
    ),
    (
        "usagers",
        "Puis-je recontacter un usager qui a partagé son expérience ?",
        "Non. Les témoignages sont anonymes et, pour respecter le RGPD, les adresses des usagers ne peuvent servir "
        "à les recontacter. Répondez publiquement : l'usager est prévenu de votre réponse.",
    ),
    (
        "dispositif",
        "Quelle différence entre « Je donne mon avis » et Services Publics+ ?",
        "Le bouton « Je donne mon avis » de la DINUM propose un questionnaire à la fin d'une démarche en ligne : "
        "des données chiffrées, recueillies à chaud, sur les démarches en ligne.\n"
        "Services Publics+ offre un champ libre où l'usager raconte avec ses mots son expérience d'un ou plusieurs "
        "services, quel que soit le canal (accueil, téléphone, courrier, en ligne). Le service concerné répond et "
        "l'ensemble est public : des données qualitatives, recueillies à froid, sur toute la relation usager.",
    ),
    (
        "promotion",
        "Où placer les bannières Services Publics+ ?",
        "Chaque site du réseau destiné aux usagers doit afficher en page d'accueil une bannière permanente, cliquable "
        "et bien visible. Des bannières temporaires ou d'autres bannières permanentes peuvent la compléter.\n"
        "Le kit de promotion de l'espace agent fournit le code de ces bannières, avec le lien de suivi de votre "
        "structure déjà en place.",
    ),
    (
        "promotion",
        "Vers quelle page renvoient les bannières ?",
        "Vers le formulaire de partage d'expérience de Services Publics+. Le lien porte la clé de tracking de votre "
        "structure : les visites et les expériences venues par la bannière apparaissent dans les sources de votre "
        "tableau de bord.",
    ),
    (
        "promotion",
        "Comment utiliser les QR codes et l'affiche ?",
        "Dans le kit de promotion, choisissez votre structure : téléchargez le QR code au format SVG ou PNG à la "
        "taille d'impression voulue, ou l'affiche A4 « Partagez votre expérience, bonne ou mauvaise, en flashant sur "
        "le QR code » pour vos accueils.",
    ),
    (
        "transparence",
        "Qui publie les résultats de qualité de service de mon réseau ?",
        "Les référents du réseau, depuis « Imports de données » : ils testent le fichier CSV, corrigent les erreurs "
        "signalées, puis exécutent l'import. Le guide pratique et le modèle de fichier sont dans les ressources.",
    ),
    (
        "compte",
        "Je n'ai pas reçu ou j'ai perdu le lien pour choisir mon mot de passe.",
        "Le lien est valable 24 heures et une seule fois. Demandez à votre référent de le renvoyer depuis "
        "« Habilitations », ou utilisez « Mot de passe oublié ? » sur la page de connexion.",
    ),
)

GUIDE_BODY = (
    "Le module « Imports de données » est ouvert aux référents de réseau. Il publie les résultats de vos "
    "indicateurs de qualité de service sur la page transparence « Résultats près de chez vous ».\n"
    "1. Téléchargez le modèle type de fichier d'import et remplissez-le avec LibreOffice Calc.\n"
    "2. Enregistrez-le au format CSV, séparateur point-virgule, encodage UTF-8.\n"
    "3. Testez le fichier : le rapport donne, pour chaque erreur, la ligne, la colonne et la correction attendue.\n"
    "4. Corrigez puis testez à nouveau ; quand il n'y a plus d'erreur, exécutez l'import : tout est enregistré, "
    "ou rien."
)
PAGES = (
    (
        "Guide pratique de l'import des données de transparence",
        "Préparer, tester et exécuter l'import des résultats de qualité de service de votre réseau (transparence).",
        GUIDE_BODY,
        ("transparence",),
    ),
    (
        "Répondre à une expérience pas à pas",
        "Filtrer les expériences, qualifier, rédiger, faire valider et publier une réponse.",
        "Ouvrez « Les expériences » et filtrez celles à traiter.\n"
        "Qualifiez l'expérience : canaux, ressenti par canal, tags généraux et tags métier.\n"
        "Rédigez la réponse avec une formule de politesse et une signature de votre profil ; enregistrez un "
        "brouillon, soumettez-la à validation ou publiez-la selon votre rôle.\n"
        "Suivez ensuite l'évaluation de la réponse par l'usager et, si besoin, engagez une action d'amélioration.",
        ("repondre",),
    ),
    (
        "Livret de présentation du programme Services Publics+",
        "Les 9 engagements communs, les quatre piliers du programme, sa gouvernance et les leviers pour le déployer.",
        "Services Publics+ engage les services publics sur 9 engagements communs de qualité de service.\n"
        "Le programme repose sur l'écoute des usagers, la mesure, la transparence des résultats et l'amélioration "
        "continue, animés par la DITP avec les têtes de réseau et leurs référents.\n"
        "Pour le faire connaître : bannières web, QR codes dans les sites de proximité et affiches.",
        ("dispositif", "promotion"),
    ),
)
DOCUMENTS = (
    (
        "Modèle type de fichier d'import des résultats (transparence)",
        "Le fichier CSV à remplir pour publier vos résultats sur la page transparence : en-têtes et une ligne "
        "d'exemple.",
        TEMPLATE_FILENAME,
        lambda: import_template_csv().encode("utf-8"),
        ("transparence",),
    ),
    (
        "Exemple de fichier de résultats",
        "Un fichier de résultats complet et valide, à tester dans le module d'import pour découvrir le rapport.",
        SAMPLE_PATH.name,
        SAMPLE_PATH.read_bytes,
        ("transparence",),
    ),
)
VISIT_DAYS = 30


def create_agent_space() -> tuple[int, int]:
    """Themes, resources and FAQ; returns (resources, questions)."""
    themes = {slug: Theme.objects.create(slug=slug, name=name, position=i) for i, (slug, name) in enumerate(THEMES)}
    for position, (slug, question, answer) in enumerate(FAQ):
        FaqEntry.objects.create(theme=themes[slug], question=question, answer=answer, position=position)
    for title, summary, body, slugs in PAGES:
        page = Resource.objects.create(kind=ResourceKind.PAGE, title=title, summary=summary, body=body)
        page.themes.set(themes[s] for s in slugs)
    for title, summary, filename, content, slugs in DOCUMENTS:
        document = Resource(kind=ResourceKind.DOCUMENT, title=title, summary=summary)
        document.file.save(filename, ContentFile(content()), save=True)
        document.themes.set(themes[s] for s in slugs)
    return len(PAGES) + len(DOCUMENTS), len(FAQ)


def create_promotion_demo(structures: DemoStructures, *, seed: int, now: datetime.datetime) -> int:
    """Tracking keys for the demo structures and a month of visits through the local office's links; returns the
    visits. The generated experiences keep their sources (the demo's digest holds them): an experience shared
    through the kit's link in `make run` is the one that shows in the conversion."""
    for structure in (structures.local, structures.parent):
        if not structure.tracking_key:
            structure.tracking_key = slugify(f"{structure.network.name} {structure.code}")[:100]
            Structure.objects.filter(pk=structure.pk).update(tracking_key=structure.tracking_key)
    key = structures.local.tracking_key
    rng = random.Random(seed)
    today = timezone.localdate(now)
    days = [today - datetime.timedelta(days=n) for n in range(VISIT_DAYS)]
    rows = [ShareVisit(source=key, day=day, visits=rng.randint(2, 9)) for day in days]
    ShareVisit.objects.bulk_create(rows)
    return sum(row.visits for row in rows)

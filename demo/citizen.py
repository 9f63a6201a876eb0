"""Demo advice, news and tester panel, so /conseils/, /actualites/ and a campaign to invite live in `make run`.

The advice texts (data/advice.json) are the project's own writing from general knowledge of French procedures.
"""

import datetime
import json
import random
from pathlib import Path

from content.models import Advice, NewsArticle
from panel.models import AgeRange, Answer, Availability, DigitalEase, Interest, Invitation, Panellist, TestCampaign
from structures.models import Department, Typology

ADVICE_JSON = Path(__file__).resolve().parent / "data" / "advice.json"
PANELLISTS = 60
UNCONFIRMED = 3
NEWS = (
    (
        "Rejoignez le panel des usagers testeurs",
        "Aidez l'administration à simplifier ses courriers et ses démarches en les testant avant tout le monde.",
        "Le panel des usagers testeurs est ouvert. Inscrivez-vous en quelques minutes : une adresse e-mail et un court"
        " profil suffisent.\n\nQuand un nouveau document ou une nouvelle démarche se prépare, nous tirons au sort des"
        " usagers testeurs qui correspondent à son public et leur proposons d'y participer. Vous restez libre"
        " d'accepter ou non chaque invitation.",
    ),
    (
        "Une vingtaine de conseils pour éviter les erreurs administratives",
        "Carte d'identité, déclaration de revenus, CAF, retraite : nos premiers conseils sont en ligne.",
        "La rubrique Conseils rassemble des conseils pratiques pour préparer vos démarches et éviter les oublis qui"
        " retardent un dossier.\n\nVous pouvez y chercher par mots-clés, par thème ou par service public concerné."
        " D'autres conseils viendront compléter cette première série.",
    ),
    (
        "Les résultats de qualité de service près de chez vous",
        "Consultez les résultats des services publics de votre ville, de votre département ou de votre région.",
        "Les réseaux de services publics publient leurs indicateurs de qualité de service : délais de réponse,"
        " satisfaction, joignabilité.\n\nLa page Résultats les présente par territoire, avec leur historique.",
    ),
    (
        "Vos expériences ont déjà reçu des milliers de réponses",
        "Chaque expérience publiée est transmise au service concerné, qui y répond publiquement.",
        "Positive ou négative, chaque expérience compte : elle est lue par les agents du service concerné et nourrit"
        " les actions d'amélioration.\n\nMerci à toutes celles et ceux qui prennent le temps de la partager.",
    ),
)


def create_demo_content(*, now: datetime.datetime) -> tuple[int, int]:
    """The advice of data/advice.json, linked to the typologies they name, and the news; returns both counts."""
    entries = json.loads(ADVICE_JSON.read_text(encoding="utf-8"))
    typologies = {t.code: t for t in Typology.objects.filter(code__in={c for e in entries for c in e["typologies"]})}
    for entry in entries:
        advice = Advice.objects.create(
            slug=entry["slug"],
            title=entry["title"],
            theme=entry["theme"],
            summary=entry["summary"],
            body=entry["body"],
            sources="\n".join(entry["sources"]),
            updated_at=now,
        )
        linked = [typologies[code] for code in entry["typologies"] if code in typologies]
        advice.typologies.set(linked)
        advice.networks.set({typology.network_id for typology in linked})
    for days_ago, (title, summary, body) in enumerate(NEWS):
        NewsArticle.objects.create(
            slug=f"actualite-{len(NEWS) - days_ago}",
            title=title,
            summary=summary,
            body=body,
            published_at=now - datetime.timedelta(days=7 * days_ago + 1),
        )
    return len(entries), len(NEWS)


def create_demo_panel(*, moderator, seed: int, now: datetime.datetime) -> int:
    """Panellists with varied profiles (a few unconfirmed), a campaign already answered and one to invite."""
    rng = random.Random(seed)
    departments = list(Department.objects.order_by("code"))
    panellists = []
    for n in range(PANELLISTS):
        interests = rng.sample(Interest.values, rng.randint(1, 3))
        created = now - datetime.timedelta(days=rng.randint(3, 400))
        panellists.append(
            Panellist(
                email=f"testeur{n + 1}@demo.spplus.fr",
                age_range=rng.choice(AgeRange.values),
                department=rng.choice(departments),
                digital_ease=rng.choice(DigitalEase.values),
                interests=f",{','.join(sorted(interests))},",
                availability=rng.choice(Availability.values),
                consented_at=created,
                created_at=created,
                confirmed_at=None if n < UNCONFIRMED else created + datetime.timedelta(hours=2),
                last_activity_at=created + datetime.timedelta(hours=2),
            )
        )
    Panellist.objects.bulk_create(panellists)
    answered = TestCampaign.objects.create(
        title="Nouveau courrier de relance de la déclaration de revenus",
        subject="Un courrier de relance envoyé aux usagers qui n'ont pas déclaré leurs revenus",
        description="Un entretien de 45 minutes, en visio ou par téléphone, pour lire le courrier et dire ce qui est"
        " clair ou non.",
        starts_on=(now - datetime.timedelta(days=20)).date(),
        ends_on=(now + datetime.timedelta(days=10)).date(),
        testers_wanted=8,
        interests=",courriers,",
        created_by=moderator,
        created_at=now - datetime.timedelta(days=25),
    )
    invited = list(Panellist.objects.confirmed().filter(interests__contains=",courriers,")[:8])
    Invitation.objects.bulk_create(
        Invitation(
            campaign=answered,
            panellist=panellist,
            invited_at=now - datetime.timedelta(days=20),
            answer=rng.choice([Answer.YES, Answer.YES, Answer.NO, ""]),
            answered_at=now - datetime.timedelta(days=18),
        )
        for panellist in invited
    )
    answered.invitations.filter(answer="").update(answered_at=None)
    TestCampaign.objects.create(
        title="Formulaire en ligne de demande d'aide au logement",
        subject="Le nouveau parcours en ligne de demande d'aide au logement",
        description="Une séance d'une heure, à distance, pour remplir le formulaire avec des données fictives.",
        starts_on=(now + datetime.timedelta(days=15)).date(),
        ends_on=(now + datetime.timedelta(days=45)).date(),
        testers_wanted=5,
        interests=",formulaires,sites,",
        created_by=moderator,
        created_at=now - datetime.timedelta(days=1),
    )
    return PANELLISTS

"""Demo reports of complex documents: one in each state, routed to the demo agent's tax office, two with an
attachment, one with a planted phone number for the moderators' flags, and two published examples."""

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from simplification import services
from simplification.models import DocumentKind
from simplification.uploads import clean_document
from structures.models import Structure

REPORTER_DOMAIN = "usagers.demo.spplus.fr"


@dataclass(frozen=True)
class DemoReport:
    kind: str
    title: str
    description: str
    steps: tuple[str, ...] = ()  # "accept", "simplify", "publish", "close"
    attachment: str = ""  # "png" or "pdf"
    before: str = ""
    after: str = ""
    reason: str = ""


REPORTS = (
    DemoReport(
        DocumentKind.LETTER,
        "Avis de taxe foncière : « régularisation de l'assiette »",
        "Le courrier annonce une « régularisation de l'assiette » et un « rappel » sans dire ce que je dois faire, "
        "ni avant quelle date payer. Rappelez-moi au 06 12 34 56 78 si besoin.",
        attachment="png",
    ),
    DemoReport(
        DocumentKind.FORM,
        "Formulaire de demande de remise gracieuse",
        "Le formulaire demande les « éléments afférents à la situation du redevable » : je ne sais pas quelles "
        "pièces joindre, ni si je dois écrire une lettre en plus.",
        steps=("accept",),
        attachment="pdf",
    ),
    DemoReport(
        DocumentKind.EMAIL,
        "E-mail de relance de la messagerie sécurisée",
        "L'e-mail dit seulement « un document est disponible dans votre espace » sans dire lequel ni s'il y a "
        "quelque chose à faire : j'ai cru à une arnaque.",
        steps=("accept", "simplify", "publish"),
        before="Un nouveau document est disponible dans votre espace particulier. Nous vous invitons à en prendre "
        "connaissance dans les meilleurs délais.",
        after="Votre avis d'impôt sur le revenu 2026 est disponible dans votre espace particulier. Vous n'avez rien "
        "à payer : vous pouvez le consulter quand vous le souhaitez.",
    ),
    DemoReport(
        DocumentKind.WEBSITE,
        "Page « Payer une amende » du site des impôts",
        "La page mélange amendes, impôts et taxes. Je ne trouve pas le bouton pour payer ni le numéro à saisir.",
        steps=("accept", "simplify", "publish"),
        before="Pour procéder au règlement de votre avis de contravention, munissez-vous du numéro de télépaiement "
        "figurant sur l'avis et du montant exigible.",
        after="Pour payer une amende : 1. Prenez votre avis de contravention. 2. Recopiez le numéro de "
        "télépaiement (en haut à droite). 3. Cliquez sur « Payer ».",
    ),
    DemoReport(
        DocumentKind.LETTER,
        "Courrier de mise en demeure de payer",
        "Je ne comprends pas pourquoi je reçois ce courrier alors que j'ai payé en ligne le mois dernier.",
        steps=("accept", "simplify"),
    ),
    DemoReport(
        DocumentKind.OTHER,
        "Publicité d'un site privé de démarches",
        "Un site propose de faire ma carte grise pour 60 euros, c'est très confus.",
        steps=("close",),
        reason="Ce document vient d'une société privée et non d'une administration : nous ne pouvons pas le faire "
        "simplifier. Les démarches officielles sont gratuites sur les sites en .gouv.fr.",
    ),
)


def create_demo_reports(*, structure: Structure, moderator) -> int:
    """Reports through the services, as a citizen and a moderator would make them; their e-mails are queued."""
    for number, demo in enumerate(REPORTS, start=1):
        report = services.submit_report(
            kind=demo.kind,
            title=demo.title,
            description=demo.description,
            email=f"usager{number}@{REPORTER_DOMAIN}",
            typology=structure.typology,
            organism_name="" if structure.typology_id else structure.name,
            document=_attachment(demo.attachment),
        )
        _follow(report, demo, structure=structure, moderator=moderator)
    return len(REPORTS)


def _follow(report, demo: DemoReport, *, structure: Structure, moderator) -> None:
    for step in demo.steps:
        if step == "accept":
            services.accept_report(report=report, by=moderator, structures=[structure])
        elif step == "simplify":
            services.mark_simplified(report=report, by=moderator, simplified_version=demo.after)
        elif step == "publish":
            services.publish_example(
                report=report, by=moderator, original_excerpt=demo.before, simplified_version=demo.after
            )
        elif step == "close":
            services.close_report(report=report, by=moderator, reason=demo.reason)


def _attachment(kind: str):
    if not kind:
        return None
    output = io.BytesIO()
    image = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(image).text(
        (40, 40), "Avis de taxe foncière 2026\n\nRégularisation de l'assiette : 42 €", fill="black"
    )
    # Pillow writes a one-page PDF of the image: enough to try the checked download.
    image.save(output, format="PDF" if kind == "pdf" else "PNG")
    content_type = "application/pdf" if kind == "pdf" else "image/png"
    return clean_document(SimpleUploadedFile(f"document.{kind}", output.getvalue(), content_type=content_type))

"""A citizen shares an experience: one transactional step that stores it for moderation."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction

from common.personal_data import count_flags
from experiences import emails
from experiences.models import (
    MAX_TYPOLOGIES,
    Channel,
    Experience,
    ExperienceChannel,
    ExperienceTypology,
    ModerationState,
)
from experiences.sources import canonical_source
from structures.models import Department, Typology


@dataclass(frozen=True)
class ServiceUsed:
    """One organism the experience concerns: a known typology, or the name the citizen typed (seed 000)."""

    typology: Typology | None = None
    organism_name: str = ""
    # Channel value → the feeling about it ("" when the citizen gave none).
    channels: dict[str, str] = field(default_factory=dict)


def clean_line(text: str) -> str:
    """One line of text: Unicode NFC, runs of blanks as one space, no blanks at the ends."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def clean_text(text: str) -> str:
    """A paragraph text: NFC, Unix newlines, no trailing blanks, at most one empty line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@transaction.atomic
def submit_experience(
    *,
    title: str,
    description: str,
    feeling: str,
    author_type: str,
    services: list[ServiceUsed],
    pseudonym: str,
    author_email: str,
    department: Department | None = None,
    postal_code: str = "",
    country: str = "FR",
    country_insee_code: str = "",
    source: str = "",
    campaign: str = "",
    arrival_channel: str = "",
) -> Experience:
    """Store a new experience waiting for moderation, with its 1–3 services and their channels.

    No routing here: the moderators orient it to structures before publishing it. The author gets an
    acknowledgement through the outbox, sent once the experience is committed.
    """
    if not 1 <= len(services) <= MAX_TYPOLOGIES:
        raise ValueError(f"Une expérience concerne de 1 à {MAX_TYPOLOGIES} services.")
    title, description = clean_line(title), clean_text(description)
    experience = Experience.objects.create(
        title=title,
        description=description,
        personal_data_flags=count_flags(title, description),
        feeling=feeling,
        author_type=author_type,
        pseudonym=clean_line(pseudonym),
        author_email=_clean_email(author_email),
        department=department,
        region=department.region if department else None,
        postal_code=postal_code.strip() if department else "",
        country="FR" if department else country,
        country_insee_code="" if department else country_insee_code,
        source=canonical_source(source),
        campaign=clean_line(campaign)[:100],
        arrival_channel=clean_line(arrival_channel)[:100],
        moderation_state=ModerationState.SUBMITTED,
    )
    for position, service in enumerate(services, start=1):
        _add_service(experience, position, service)
    emails.experience_received(experience)
    return experience


def _clean_email(email: str) -> str:
    """The domain is case-insensitive, the local part may not be: only the domain is lowercased."""
    local, at, domain = email.strip().rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else email.strip()


def _add_service(experience: Experience, position: int, service: ServiceUsed) -> None:
    experience_typology = ExperienceTypology.objects.create(
        experience=experience,
        position=position,
        typology=service.typology,
        organism_name="" if service.typology else clean_line(service.organism_name)[:200],
    )
    ExperienceChannel.objects.bulk_create(
        ExperienceChannel(experience_typology=experience_typology, channel=channel, feeling=feeling)
        for channel, feeling in service.channels.items()
        if channel in Channel.values
    )

"""Closed lists and limits of an experience (seed 000, the open-data « expériences » export)."""

from django.db import models

# seed 000: title ≤ 230 characters, description 100–2000 for new submissions; historical
# experiences imported from the real export keep their text (up to ~8,000 characters).
TITLE_MAX_LENGTH = 230
DESCRIPTION_MIN_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 2000
HISTORICAL_DESCRIPTION_MAX_LENGTH = 10000
# seed 000 says « code à 6 chiffres »; the real data holds 6- and 7-digit ids.
PUBLIC_ID_MIN = 100_000
PUBLIC_ID_MAX = 9_999_999
MAX_TYPOLOGIES = 3
MAX_STRUCTURES = 3


class Feeling(models.TextChoices):
    POSITIVE = "positive", "Positif"
    NEUTRAL = "neutral", "Neutre"
    NEGATIVE = "negative", "Négatif"


class AuthorType(models.TextChoices):
    CONCERNED = "concerned", "La personne concernée"
    RELATIVE = "relative", "Un proche de la personne concernée"
    MEDIATOR = "mediator", "Un agent de médiation"


class ModerationState(models.TextChoices):
    SUBMITTED = "submitted", "À modérer"
    PUBLISHED = "published", "Publiée"
    REJECTED = "rejected", "Rejetée"
    TO_MODIFY = "to_modify", "À modifier par l'auteur"


class ExperienceStatus(models.TextChoices):
    AWAITING = "awaiting", "Expérience en attente de réponse"
    ANSWERED = "answered", "Expérience avec réponse"
    ACTION_ENGAGED = "action_engaged", "Expérience avec action engagée"
    ACTION_DONE = "action_done", "Expérience avec action réalisée"


class ExperienceState(models.TextChoices):
    TO_PROCESS = "to_process", "À traiter"
    PROCESSED = "processed", "Traitée"


class Channel(models.TextChoices):
    """seed 000: « Canaux Typologie », a closed multiple choice."""

    PHONE = "phone", "Téléphone"
    ACCOUNT = "account", "Compte ou espace personnel"
    ONLINE = "online", "Démarche en ligne"
    DESK = "desk", "Accueil"
    EMAIL = "email", "E-mail"
    PATROL = "patrol", "Patrouille"
    MAIL = "mail", "Courrier"
    SOCIAL = "social", "Réseaux sociaux"
    VIDEO = "video", "Visio/Vidéo"
    CHAT = "chat", "Tchat (messagerie instantanée)"


class GeneralTag(models.TextChoices):
    """The five general tags of the real export, set by moderators (seed 000)."""

    ACCESSIBILITY = "accessibility", "Accessibilité"
    INFORMATION = "information", "Information/Explication"
    RELATION = "relation", "Relation"
    REACTIVITY = "reactivity", "Réactivité"
    SIMPLICITY = "simplicity", "Simplicité/Complexité"


class ResponseStatus(models.TextChoices):
    """seed 000: « Statut réponse structure N », one per (experience, structure)."""

    AWAITING = "awaiting", "En attente de réponse"
    PENDING_VALIDATION = "pending_validation", "Réponse en attente de validation"
    ANSWERED = "answered", "Réponse apportée"
    MODIFIED_NOTIFIED = "modified_notified", "Réponse modifiée avec notification"
    UNPUBLISHED = "unpublished", "Réponse dépubliée"
    ADOPTED = "adopted", "Réponse adoptée"


# An assignment whose answer is public counts as answered (seed 000: « Traitées »).
ANSWERED_STATUSES = (ResponseStatus.ANSWERED, ResponseStatus.MODIFIED_NOTIFIED, ResponseStatus.ADOPTED)
# The others: an experience still « à traiter » has only routings in these.
UNANSWERED_STATUSES = (ResponseStatus.AWAITING, ResponseStatus.PENDING_VALIDATION, ResponseStatus.UNPUBLISHED)

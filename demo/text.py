"""French texts of the demo: testimonies rebuilt from real sentences, responses and notes from templates.

Every function draws from the `random.Random` it is given, so a seed gives the same texts.
"""

import math
import random
import re
import unicodedata
from dataclasses import dataclass

from experiences.models import DESCRIPTION_MAX_LENGTH, DESCRIPTION_MIN_LENGTH, TITLE_MAX_LENGTH

from .corpus import Corpus, upper_first
from .topics import GENERIC_PROCEDURES, TOPICS


@dataclass(frozen=True)
class Organism:
    """How texts name an organism: « la CAF », « à la CAF », « de la CAF »."""

    name: str
    to: str
    of: str
    takes_city: bool


def organism(name: str) -> Organism:
    for article, to, of in (("la ", "à la ", "de la "), ("le ", "au ", "du "), ("les ", "aux ", "des ")):
        if name.startswith(article):
            rest = name[len(article) :]
            return Organism(name, to + rest, of + rest, True)
    if name.startswith("l'"):
        return Organism(name, "à " + name, "de " + name, True)
    elided = name[0].lower() in "aeiouyéèh"
    return Organism(name, "à " + name, ("d'" if elided else "de ") + name, False)


def organism_for(typology_name: str) -> Organism:
    topic = TOPICS.get(typology_name)
    if topic:
        return organism(topic.org)
    label = typology_name.lower() if typology_name.isupper() else typology_name
    return organism(f"le service « {label} »")


def procedures_for(typology_name: str) -> tuple[tuple[str, str], ...]:
    topic = TOPICS.get(typology_name)
    return topic.procedures if topic and topic.procedures else GENERIC_PROCEDURES


def ascii_slug(text: str) -> str:
    """« Éloïse » → « eloise », for generated e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in ".-"))


def pretty_city(city: str) -> str:
    words = city.replace("-", " - ").title().split()
    small = {"De", "Du", "Des", "La", "Le", "Les", "Sur", "Sous", "En", "Et", "Aux", "Au", "L'", "D'"}
    text = " ".join(w.lower() if i and w in small else w for i, w in enumerate(words))
    return text.replace(" - ", "-")


ELISION = re.compile(r"\b([dD]e|[qQ]ue) (?=[aeiouyéèêàâîôAEIOUYÉÈÊÀÂÎÔ])")


def elide(sentence: str) -> str:
    """« afin de obtenir » → « afin d'obtenir », « de Arras » → « d'Arras » where a template meets a vowel."""
    return ELISION.sub(lambda m: m.group(1)[:-1] + "'", sentence)


CONTEXT = {
    "desk": (
        "Je me suis rendu{e} {to}{city} pour {verb}.",
        "Je suis allé{e} à l'accueil {of}{city} afin de {verb}.",
        "J'avais rendez-vous {to}{city} pour {verb}.",
    ),
    "phone": (
        "J'ai appelé {name} à plusieurs reprises pour {verb}.",
        "J'ai contacté {name} par téléphone afin de {verb}.",
    ),
    "online": ("J'ai voulu {verb} en ligne.", "J'ai utilisé le site internet {of} pour {verb}."),
    "account": ("Depuis mon espace personnel {of}, j'ai essayé de {verb}.", "J'ai voulu {verb} depuis mon compte."),
    "email": ("J'ai écrit par courriel {to} pour {verb}.", "J'ai envoyé un e-mail {to} afin de {verb}."),
    "mail": ("J'ai envoyé un courrier {to} pour {verb}.", "J'ai écrit {to} par courrier recommandé pour {verb}."),
    "patrol": ("Une patrouille {of} est intervenue et j'ai ensuite dû {verb}.",),
    "social": ("J'ai interpellé {name} sur les réseaux sociaux pour {verb}.",),
    "video": ("J'ai eu un rendez-vous en visio avec {name} pour {verb}.",),
    "chat": ("J'ai utilisé le tchat {of} pour {verb}.",),
}
FEELING_SENTENCES = {
    "positive": (
        "L'agent qui m'a reçu{e} a pris le temps de tout m'expliquer.",
        "Ma demande a été traitée en quelques jours seulement.",
        "J'ai obtenu une réponse claire et rapide.",
        "Le personnel a été aimable et efficace du début à la fin.",
        "Tout s'est déroulé simplement, sans avoir à fournir deux fois les mêmes pièces.",
        "Je tiens à remercier l'agent pour sa patience et son professionnalisme.",
        "On m'a rappelé{e} dès le lendemain avec une solution.",
    ),
    "neutral": (
        "La démarche a fini par aboutir, mais il a fallu relancer plusieurs fois.",
        "L'accueil était correct, même si l'attente a été longue.",
        "Les informations du site ne correspondaient pas tout à fait à ce qu'on m'a dit au guichet.",
        "Le résultat est satisfaisant, mais les délais restent à améliorer.",
        "Personne n'a été désagréable, mais j'ai dû expliquer ma situation trois fois.",
    ),
    "negative": (
        "Cela fait maintenant plusieurs semaines que j'attends une réponse.",
        "Personne n'est capable de me dire où en est mon dossier.",
        "Le téléphone sonne dans le vide et aucun rendez-vous n'est disponible en ligne.",
        "On m'a demandé trois fois les mêmes justificatifs.",
        "J'ai été reçu{e} de manière expéditive, sans la moindre explication.",
        "Je me retrouve sans ressources en attendant le traitement de mon dossier.",
        "Mes courriels restent sans réponse depuis plus d'un mois.",
    ),
}
CLOSINGS = {
    "positive": ("Merci encore !", "Bravo et merci à toute l'équipe.", "Cordialement.", ""),
    "neutral": ("Cordialement.", "Merci d'avance pour votre retour.", ""),
    "negative": (
        "J'espère que ma situation sera enfin prise en compte.",
        "Merci de faire le nécessaire rapidement.",
        "Cordialement.",
        "",
    ),
}
TITLES = {
    "positive": (
        "{Noun} : merci pour votre efficacité",
        "Très bon accueil {to}",
        "Un grand merci {to}",
        "{Noun} : démarche simple et rapide",
        "Accueil chaleureux et efficace",
        "Des agents à l'écoute",
        "Réponse rapide {of}",
    ),
    "neutral": (
        "{Noun} : des informations à clarifier",
        "{Noun}, une démarche perfectible",
        "Attente longue mais dossier réglé",
        "Accueil correct, délais à améliorer",
        "Des explications contradictoires {of}",
    ),
    "negative": (
        "{Noun} : toujours aucune réponse",
        "Impossible de joindre {name}",
        "{Noun} : des délais beaucoup trop longs",
        "Aucun rendez-vous disponible {to}",
        "Dossier perdu, tout est à refaire",
        "{Noun} : sans nouvelles depuis des mois",
    ),
}


class TextGenerator:
    """Builds titles, descriptions, responses and notes from a corpus and a random generator."""

    def __init__(self, corpus: Corpus, rng: random.Random):
        self.corpus = corpus
        self.rng = rng

    def title(self, typology_name: str, feeling: str, noun: str, org: Organism) -> str:
        rng = self.rng
        real = self.corpus.topic_titles.get(typology_name, {}).get(feeling)
        if real and rng.random() < 0.4:
            text = rng.choice(real)
        else:
            text = rng.choice(TITLES[feeling]).format(Noun=noun, name=org.name, to=org.to, of=org.of)
        return upper_first(text)[:TITLE_MAX_LENGTH]

    def description(
        self, typology_name: str, feeling: str, channel: str, verb: str, org: Organism, city: str, suffix: str
    ) -> str:
        """A testimony of 100–2000 characters (seed 000) about one organism and one procedure.

        It opens on the procedure, goes on with real sentences (the organism's own first, then
        generic ones) and states the feeling with a sentence of ours, so the tone never misleads.
        """
        rng = self.rng
        city_part = f" de {pretty_city(city)}" if city and org.takes_city else ""
        context = rng.choice(CONTEXT.get(channel) or CONTEXT["desk"])
        sentences = [elide(context.format(e=suffix, name=org.name, to=org.to, of=org.of, city=city_part, verb=verb))]
        target = min(DESCRIPTION_MAX_LENGTH - 300, max(120.0, rng.lognormvariate(math.log(320), 0.6)))
        own = self.corpus.by_topic.get(typology_name, {}).get(feeling) or ()
        self._add_real_sentences(sentences, own, target, rng.randint(0, 3))
        self._add_real_sentences(sentences, self.corpus.generic[feeling], target, rng.randint(1, 2))
        tones = ("positive", "negative") if feeling == "neutral" else (feeling,)
        for tone in tones:
            sentences.insert(rng.randint(1, len(sentences)), rng.choice(FEELING_SENTENCES[tone]).format(e=suffix))
        text = " ".join(sentences)
        if rng.random() < 0.3:
            text = "Bonjour,\n" + text
        closing = rng.choice(CLOSINGS[feeling])
        if closing:
            text += "\n" + closing
        return self._within_bounds(text, feeling, suffix)

    def _add_real_sentences(self, sentences: list[str], pool, target: float, count: int) -> None:
        length = sum(len(s) + 1 for s in sentences)
        for _ in range(count if pool else 0):
            sentence = self.rng.choice(pool)
            if length >= target or sentence in sentences:
                return
            sentences.append(sentence)
            length += len(sentence) + 1

    def _within_bounds(self, text: str, feeling: str, suffix: str) -> str:
        while len(text) < DESCRIPTION_MIN_LENGTH:
            text += " " + self.rng.choice(FEELING_SENTENCES[feeling]).format(e=suffix)
        if len(text) > DESCRIPTION_MAX_LENGTH:
            text = text[: DESCRIPTION_MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"
        return text

    def response(self, feeling: str, pseudonym: str) -> str:
        rng = self.rng
        greeting = f"Bonjour {pseudonym}," if pseudonym and rng.random() < 0.6 else "Madame, Monsieur,"
        parts = [greeting, rng.choice(RESPONSE_OPENERS[feeling]), rng.choice(RESPONSE_MIDDLES[feeling])]
        if rng.random() < 0.6:
            parts.append(rng.choice(RESPONSE_CLOSINGS))
        return "\n\n".join(parts)

    def pick(self, choices: tuple[str, ...]) -> str:
        return self.rng.choice(choices)


RESPONSE_OPENERS = {
    "positive": (
        "Nous vous remercions chaleureusement pour votre message et pour ce retour positif.",
        "Merci d'avoir pris le temps de partager votre expérience : ce type de retour encourage nos équipes.",
        "Nous sommes très heureux d'apprendre que votre démarche s'est bien déroulée.",
    ),
    "neutral": (
        "Nous vous remercions d'avoir pris le temps de partager votre expérience.",
        "Merci pour votre témoignage, qui nous aide à améliorer la qualité de notre service.",
        "Nous avons bien pris connaissance de votre expérience et vous remercions pour vos remarques.",
    ),
    "negative": (
        "Nous vous remercions d'avoir partagé votre expérience et sommes sincèrement désolés des difficultés "
        "rencontrées.",
        "Nous regrettons vivement que votre démarche ne se soit pas déroulée dans de bonnes conditions.",
        "Nous vous présentons nos excuses pour le délai de traitement de votre demande.",
    ),
}
RESPONSE_MIDDLES = {
    "positive": (
        "Vos remerciements ont été transmis à l'équipe concernée, qui y sera très sensible.",
        "Nous avons partagé votre message avec les agents qui vous ont accompagné.",
        "La qualité de l'accueil est au cœur de nos engagements et votre retour montre que nos efforts portent "
        "leurs fruits.",
    ),
    "neutral": (
        "Vos remarques sur les délais ont été transmises au responsable du service, qui étudie des pistes "
        "d'amélioration.",
        "Nous allons mettre à jour les informations de notre site afin qu'elles correspondent à celles données "
        "au guichet.",
        "Votre dossier est désormais complet et sera traité dans les meilleurs délais.",
    ),
    "negative": (
        "Après vérification, votre dossier a bien été pris en charge et une régularisation est en cours.",
        "Nos délais de traitement ont été fortement allongés ces derniers mois ; des renforts ont été mis en "
        "place pour les réduire.",
        "Un conseiller va prendre contact avec vous dans les prochains jours pour faire le point sur votre situation.",
        "Nous avons transmis votre remarque au responsable de l'accueil afin que cette situation ne se reproduise pas.",
        "Votre demande a été traitée et le versement interviendra sous une dizaine de jours.",
    ),
}
RESPONSE_CLOSINGS = (
    "Si votre situation n'est pas réglée, vous pouvez nous contacter depuis votre espace personnel ou prendre "
    "rendez-vous en ligne.",
    "Nous restons à votre disposition pour tout complément d'information.",
    "N'hésitez pas à revenir vers nous si vous rencontrez une nouvelle difficulté.",
)
FORMULAS = (
    "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
    "Bien cordialement,",
    "Cordialement,",
    "Avec nos remerciements renouvelés,",
    "Veuillez agréer nos sincères salutations.",
)
SIGNATURES = (
    "Le service relations usagers — {structure}",
    "L'équipe d'accueil — {structure}",
    "La direction — {structure}",
    "Le responsable du service — {structure}",
)
COMMENTS = (
    "Je prends en charge la réponse.",
    "Dossier vérifié dans notre outil : le paiement part cette semaine.",
    "Pouvez-vous relire et valider mon brouillon ?",
    "L'usager a déjà été recontacté par téléphone hier.",
    "Cette expérience concerne plutôt le service courrier, je vérifie avant de répondre.",
    "Point à remonter en réunion d'équipe : troisième témoignage sur l'attente à l'accueil ce mois-ci.",
    "Réponse validée, merci.",
    "Attention, le dossier est suivi par le médiateur, ne pas donner de date de versement.",
)
REJECTION_REASONS = (
    "Votre expérience contient des données personnelles (nom d'un agent, numéro de dossier). Vous pouvez la "
    "déposer à nouveau sans ces informations.",
    "Votre expérience contient des propos injurieux et ne respecte pas la charte de modération.",
    "Votre expérience concerne une entreprise privée, hors du périmètre de Services Publics+.",
    "Votre expérience a déjà été déposée : nous avons publié la première version.",
    "Votre message ne décrit pas une expérience avec un service public ; pour une réclamation, adressez-vous "
    "directement au service concerné.",
)
MODIFICATION_REQUESTS = (
    "Merci de retirer le nom de l'agent cité afin que votre expérience puisse être publiée.",
    "Merci de préciser le service concerné et la ville, afin que nous puissions orienter votre expérience.",
    "Merci de retirer votre numéro d'allocataire de la description.",
)
TRANSFER_REASONS = (
    "Cette expérience concerne un autre organisme que le nôtre.",
    "L'usager dépend d'un autre département : merci d'orienter vers la structure compétente.",
    "La démarche décrite relève d'un autre réseau.",
)
TRANSFER_DECISIONS = {
    "accepted": ("Transfert effectué vers la structure compétente.", "Demande justifiée, expérience réorientée."),
    "refused": (
        "L'expérience concerne bien votre structure : merci d'y répondre.",
        "Le service cité par l'usager est le vôtre, la demande est refusée.",
    ),
}
IMPROVEMENT_ACTIONS = (
    (
        "Allongement des horaires d'accueil téléphonique",
        "L'accueil téléphonique est désormais ouvert de 8 h 30 à 17 h 30 sans interruption, y compris le mercredi.",
    ),
    (
        "Affichage des horaires et des pièces à fournir",
        "Les horaires d'ouverture et la liste des pièces à fournir sont affichés à l'entrée et mis à jour sur le site.",
    ),
    (
        "Accueil sur rendez-vous sans attente",
        "Les usagers peuvent réserver un créneau en ligne ; un agent les reçoit à l'heure prévue.",
    ),
    (
        "Simplification du formulaire de demande",
        "Le formulaire passe de six à deux pages et les justificatifs déjà fournis ne sont plus redemandés.",
    ),
    (
        "Rappel des usagers sous 48 heures",
        "Toute demande laissée sur le répondeur donne lieu à un rappel par un agent sous 48 heures ouvrées.",
    ),
    (
        "Formation des agents d'accueil",
        "Les agents d'accueil ont suivi une formation à l'accueil des publics en difficulté avec le numérique.",
    ),
    (
        "Réduction des délais de traitement des dossiers",
        "Une cellule de renfort traite les dossiers en attente depuis plus d'un mois.",
    ),
    (
        "Création d'une foire aux questions",
        "Les questions les plus fréquentes des usagers ont maintenant leur réponse sur notre site.",
    ),
)
FIRST_NAMES = (
    "Camille Claire Julien Nathalie Thomas Sophie Nicolas Isabelle Pierre Marie Laurent Sandrine Antoine Céline "
    "Mathieu Aurélie Olivier Émilie Sébastien Julie François Caroline Stéphane Élodie Philippe Karine Vincent "
    "Hélène Alexandre Laura Christophe Manon Patrick Léa David Chloé Jérôme Inès Fabrice Sarah Yannick Amina "
    "Mehdi Fatou Karim Nadia Hugo Lucie Louis Jeanne Paul Martine Gérard Monique Bernard Yasmine Théo Anaïs"
).split()

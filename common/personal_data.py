"""Spotting personal data in free text for moderators (the charter forbids it, seed 000).

Pure Python on purpose: the moderation services, a management command and the benchmark
all call it, and none of them should need Django to do so. Every detector favours precision
over guessing: numbers carrying a key (NIR, IBAN, card) are only flagged when the key checks,
so the dates, amounts and case numbers a citizen may keep are left alone.
"""

import re
from typing import NamedTuple

EMAIL = "email"
PHONE = "phone"
NIR = "nir"
IBAN = "iban"
CARD = "card"
ADDRESS = "address"
NAME = "name"

# French labels, shown to moderators next to each highlighted span.
KIND_LABELS = {
    EMAIL: "adresse e-mail",
    PHONE: "numéro de téléphone",
    NIR: "numéro de sécurité sociale",
    IBAN: "IBAN",
    CARD: "numéro de carte bancaire",
    ADDRESS: "adresse postale",
    NAME: "nom après une civilité",
}


# Internal: a number shaped like a checked one whose key fails; it hides its digits from the other
# detectors and is never returned.
_SHAPED = ""


class Span(NamedTuple):
    start: int
    end: int
    kind: str
    weak: bool = False


_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w-])")

# 0X XX XX XX XX with spaces (plain or non-breaking), dots, dashes, slashes or none, one separator
# throughout (what tells 06/12/20/23 from a date followed by a time), or the international +33 / 0033
# forms, with the « (0) » some people keep after the country code; also 06 123 456 78.
_PHONE_RE = re.compile(
    r"(?<![\w+/])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9]"
    r"(?:(?P<sep>[ .\-/\u00a0\u202f]?)\d{2}(?:(?P=sep)\d{2}){3}| \d{3} \d{3} \d{2})(?![\d/])"
)

# Sex, year, month, department (2A/2B for Corsica), commune, order, then the two-digit key.
_NIR_RE = re.compile(
    r"(?<![\w])([1278])[ .]?(\d{2})[ .]?(\d{2})[ .]?(\d{2}|2[AB])[ .]?(\d{3})[ .]?(\d{3})"
    r"[ .]?(\d{2})(?![\w])",
    re.IGNORECASE,
)

_IBAN_RE = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])")

_CARD_RE = re.compile(r"(?<![\w.,])[2-6]\d{3}(?:[ \-]?\d){9,15}(?![\w]|[.,]\d)")

_SIRET_BEFORE_RE = re.compile(r"sir[ée][tn]", re.IGNORECASE)

_STREET_TYPES = (
    r"rue|avenue|av\.|boulevard|bd|place|pl\.|chemin|impasse|all[ée]e|route|quai|cours|square|"
    r"passage|r[ée]sidence|chauss[ée]e|faubourg|sentier|hameau|lotissement|cit[ée]|esplanade|"
    r"promenade|rond-point|villa|voie"
)
_CAPITALISED = r"[A-ZÀ-ÖØ-Ý][\w'’\-]*"
_PARTICLE = r"(?:de|du|des|la|le|les|l['’]|d['’]|et|sur|en)"
# Only the street type ignores case: the street name must start with a capital, which is what
# tells « 3 rue Victor Hugo » from « 3 places assises ».
_ADDRESS_RE = re.compile(
    r"(?<![\w])\d{1,4}(?: ?(?:bis|ter|quater|[a-dA-D]))?,? +(?i:" + _STREET_TYPES + r") +"
    r"(?:" + _PARTICLE + r" ?)*" + _CAPITALISED + r"(?: +(?:" + _PARTICLE + r" ?)*"
    r"(?:" + _CAPITALISED + r"|\d+(?:er|e)?))*",
)

_CIVILITY_RE = re.compile(
    r"(?<![\w])(?:M\.|MM\.|Mme\.?|Mmes\.?|Mlle\.?|Madame|Monsieur|Mademoiselle|Dr\.?|Docteur|Docteure|Me)"
    r" +(" + _CAPITALISED + r"(?: +" + _CAPITALISED + r")?)"
)
# Capitalised words after a civility that are functions, not names.
_NOT_NAMES = {
    "le",
    "la",
    "les",
    "Le",
    "La",
    "Les",
    "Maire",
    "Directeur",
    "Directrice",
    "Président",
    "Présidente",
    "Préfet",
    "Préfète",
    "Ministre",
    "Conseiller",
    "Conseillère",
    "Agent",
    "Responsable",
}


def nir_key_is_valid(digits13: str, key: str) -> bool:
    """Key = 97 - (number mod 97); Corsica's 2A and 2B count as 19 and 18."""
    upper = digits13.upper()
    if upper[5:7] == "2A":
        upper = upper[:5] + "19" + upper[7:]
    elif upper[5:7] == "2B":
        upper = upper[:5] + "18" + upper[7:]
    if not upper.isdigit():
        return False
    return 97 - int(upper) % 97 == int(key)


def iban_is_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(char, 36)) for char in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _emails(text):
    for match in _EMAIL_RE.finditer(text):
        yield Span(match.start(), match.end(), EMAIL)


def _phones(text):
    for match in _PHONE_RE.finditer(text):
        yield Span(match.start(), match.end(), PHONE)


def _nirs(text):
    for match in _NIR_RE.finditer(text):
        sex, year, month, department, commune, order, key = match.groups()
        valid = nir_key_is_valid(sex + year + month + department + commune + order, key)
        yield Span(match.start(), match.end(), NIR if valid else _SHAPED)


def _ibans(text):
    for match in _IBAN_RE.finditer(text):
        candidate = match.group()
        # A trailing word in capitals may have been swallowed as a last group: drop such groups
        # (never a group of digits, which belongs to the number) until the key checks.
        while not iban_is_valid(candidate):
            cut = candidate.rfind(" ")
            if cut <= 4 or candidate[cut + 1 :].isdigit():
                candidate = ""
                break
            candidate = candidate[:cut]
        if candidate:
            yield Span(match.start(), match.start() + len(candidate), IBAN)
        else:
            yield Span(match.start(), match.end(), _SHAPED)


def _cards(text):
    for match in _CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # SIRET numbers are 14 Luhn-valid digits too; the only 14-digit cards (Diners) start with 36.
        if len(digits) == 14 and not digits.startswith("36"):
            continue
        if _SIRET_BEFORE_RE.search(text, max(0, match.start() - 12), match.start()):
            continue
        if 13 <= len(digits) <= 19:
            yield Span(match.start(), match.end(), CARD if luhn_is_valid(digits) else _SHAPED)


def _addresses(text):
    for match in _ADDRESS_RE.finditer(text):
        yield Span(match.start(), match.end(), ADDRESS)


def _names(text):
    for match in _CIVILITY_RE.finditer(text):
        words = match.group(1).split()
        if words[0] in _NOT_NAMES:
            continue
        end = match.start(1) + len(words[0])
        if len(words) > 1 and words[1] not in _NOT_NAMES:
            end = match.end(1)
        yield Span(match.start(1), end, NAME, weak=True)


# The order settles overlaps: a checked key (NIR, IBAN, card) beats a phone-like run of digits, and a
# number shaped like an IBAN, a NIR or a card whose key fails is nobody's phone or card either.
_DETECTORS = (_emails, _ibans, _nirs, _cards, _phones, _addresses, _names)


def detect(text: str) -> list[Span]:
    """Non-overlapping spans of personal data in ``text``, in reading order."""
    if not text:
        return []
    kept: list[Span] = []
    for detector in _DETECTORS:
        for span in detector(text):
            if not any(span.start < other.end and other.start < span.end for other in kept):
                kept.append(span)
    return sorted(span for span in kept if span.kind != _SHAPED)


def count_flags(*texts: str, include_weak: bool = True) -> int:
    return sum(1 for text in texts for span in detect(text) if include_weak or not span.weak)

"""Spotting personal data in free text for moderators (the charter forbids it, seed 000).

Pure Python on purpose: the moderation services, a management command and the benchmark
all call it, and none of them should need Django to do so. Every detector favours precision
over guessing: numbers carrying a key (NIR, IBAN, card) are only flagged when the key checks,
so the dates, amounts and case numbers a citizen may keep are left alone. Tax and benefit file
numbers carry no public key, so they are only flagged right after the words that announce them
(« numéro fiscal », « n° allocataire »…): a bare run of digits stays a case number.
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
TAX_NUMBER = "tax_number"
TAX_NOTICE = "tax_notice"
BENEFIT = "benefit"

# French labels, shown to moderators next to each highlighted span.
KIND_LABELS = {
    EMAIL: "adresse e-mail",
    PHONE: "numéro de téléphone",
    NIR: "numéro de sécurité sociale",
    IBAN: "IBAN",
    CARD: "numéro de carte bancaire",
    ADDRESS: "adresse postale",
    NAME: "nom après une civilité",
    TAX_NUMBER: "numéro fiscal",
    TAX_NOTICE: "référence d'avis d'impôt",
    BENEFIT: "numéro d'allocataire ou de dossier (CAF, France Travail, MDPH, retraite)",
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


# Tax and benefit numbers, anchored on the words announcing them. Between those words and the number:
# spaces, then at most a « : », an « est (le) » or a « n° » (« matricule CAF n° 1234567 »); nothing
# else, so « numéro allocataire depuis 2015 » or « numéro fiscal de mon mari » announce nothing.
_NUMBER_WORD = r"(?:num[ée]ro\s+|n[°º]\.?\s*)"
_APOSTROPHE = r"['’]"
_GAP = (
    r"(?:\s*\((?:SPI|NIF)\))?"
    r"(?:[ \u00a0]*:[ \u00a0]*|[ \u00a0]+(?i:est[ \u00a0]+(?:le[ \u00a0]+)?)?)"
    r"(?:(?i:n[°º])\.?[ \u00a0]*)?"
)
# After the number: no letter, digit or decimal part glued to it (« 1234567,50 € » is an amount).
_NUMBER_END = r"(?![\w]|[.,/\-]\w)"

_TAX_NUMBER_WORDS = (
    r"(?:(?i:" + _NUMBER_WORD + r"(?:fiscal|d" + _APOSTROPHE + r"identification\s+fiscale|de\s+t[ée]l[ée]d[ée]clarant)"
    r"|identifiant\s+fiscal)|(?i:" + _NUMBER_WORD + r")?SPI)"
)
# The tax number (SPI) is 13 digits, the first one 0 to 3, sometimes grouped.
_TAX_NUMBER_RE = re.compile(
    r"(?<![\w])" + _TAX_NUMBER_WORDS + _GAP + r"(?P<value>[0-3](?:[ \u00a0]?\d){12})" + _NUMBER_END + r"(?![ \u00a0]\d)"
)
# The reference of a tax notice is 13 characters, digits and capitals (« 24 75 A123456 78 »).
_TAX_NOTICE_WORDS = r"(?i:r[ée]f(?:[ée]rence|\.)?\s+de\s+l['’]avis(?:\s+d['’](?:imp[ôo]ts?|imposition))?)"
_TAX_NOTICE_RE = re.compile(
    r"(?<![\w])" + _TAX_NOTICE_WORDS + _GAP + r"(?P<value>[0-9A-Z](?:[ \u00a0]?[0-9A-Z]){12})" + _NUMBER_END
)
_CAF_WORDS = (
    r"(?i:(?:" + _NUMBER_WORD + r"(?:d" + _APOSTROPHE + r"|d\s)?allocataire(?:\s+(?:(?:de\s+la\s+)?CAF|MSA))?"
    r"|matricule\s+CAF|" + _NUMBER_WORD + r"CAF))"
)
_FRANCE_TRAVAIL_WORDS = (
    r"(?i:(?:identifiant\s+|" + _NUMBER_WORD + r"(?:d" + _APOSTROPHE + r"(?:identifiant|inscription)\s+)?)"
    r"(?:(?:à|de|chez)\s+)?(?:France[ -]Travail|P[ôo]le[ -]emploi))"
)
_OTHER_BENEFIT_WORDS = (
    r"(?i:" + _NUMBER_WORD + r"(?:de\s+dossier\s+(?:(?:à|de)\s+la\s+)?MDPH|MDPH|de\s+retraite|de\s+retrait[ée]e?))"
)
# Each announcement with the number it announces: the CAF's allocataire number is 7 digits, France
# Travail's identifier 7 digits and a letter or 8 characters; the MDPH's and pension funds' numbers
# vary, so 5 to 15 characters (groups may be separated) of which at least 4 digits.
_BENEFIT_RES = (
    re.compile(r"(?<![\w])" + _CAF_WORDS + _GAP + r"(?P<value>\d{7})" + _NUMBER_END + r"(?![ \u00a0]\d)"),
    re.compile(r"(?<![\w])" + _FRANCE_TRAVAIL_WORDS + _GAP + r"(?P<value>\d{7}[A-Za-z]|[0-9A-Z]{8})" + _NUMBER_END),
    re.compile(r"(?<![\w])" + _OTHER_BENEFIT_WORDS + _GAP + r"(?P<value>[0-9A-Z]+(?:[ \-/.][0-9A-Z]+)*)" + _NUMBER_END),
)


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
        # 13-digit cards are Visa's (4) or Maestro's (5, 6); a 13-digit run starting with 0 to 3 is a tax
        # number or a case number, and one in ten passes Luhn.
        if len(digits) == 13 and digits[0] not in "456":
            continue
        if _SIRET_BEFORE_RE.search(text, max(0, match.start() - 12), match.start()):
            continue
        if 13 <= len(digits) <= 19:
            yield Span(match.start(), match.end(), CARD if luhn_is_valid(digits) else _SHAPED)


# The words every announcement holds, in lower case: plain substring tests (a few microseconds) skip the
# announcement patterns in the many texts holding none of them.
_ANNOUNCEMENT_HINTS = ("fiscal", "spi", "clarant", "avis", "allocataire", "caf", "travail", "emploi", "mdph", "retrait")


def _may_announce(text: str) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in _ANNOUNCEMENT_HINTS)


def _enough_digits(value: str, minimum: int) -> bool:
    return sum(char.isdigit() for char in value) >= minimum


def _tax_numbers(text):
    if not _may_announce(text):
        return
    for match in _TAX_NUMBER_RE.finditer(text):
        yield Span(match.start("value"), match.end("value"), TAX_NUMBER)
    for match in _TAX_NOTICE_RE.finditer(text):
        # At least 8 digits: what tells the reference from a word in capitals.
        if _enough_digits(match.group("value"), 8):
            yield Span(match.start("value"), match.end("value"), TAX_NOTICE)


def _benefit_numbers(text):
    if not _may_announce(text):
        return
    caf, france_travail, other = _BENEFIT_RES
    for match in caf.finditer(text):
        yield Span(match.start("value"), match.end("value"), BENEFIT)
    for match in france_travail.finditer(text):
        if _enough_digits(match.group("value"), 4):
            yield Span(match.start("value"), match.end("value"), BENEFIT)
    for match in other.finditer(text):
        value = match.group("value")
        # Groups after the first must hold a digit: « 123456 PAR COURRIER » keeps the words out.
        groups = re.split(r"([ \-/.])", value)
        while len(groups) > 1 and not _enough_digits(groups[-1], 1):
            groups = groups[:-2]
        value = "".join(groups)
        compact = re.sub(r"[ \-/.]", "", value)
        if 5 <= len(compact) <= 15 and _enough_digits(compact, 4):
            yield Span(match.start("value"), match.start("value") + len(value), BENEFIT)


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
# number shaped like an IBAN, a NIR or a card whose key fails is nobody's phone or card either. Announced
# tax and benefit numbers come before cards and phones: a 13-digit tax number may pass Luhn or hold a
# phone-like run, and its announcement says what it is.
_DETECTORS = (_emails, _ibans, _nirs, _tax_numbers, _benefit_numbers, _cards, _phones, _addresses, _names)
# An announced number is personal even when shaped like a NIR whose key fails (a pension number).
_ANNOUNCED = {TAX_NUMBER, TAX_NOTICE, BENEFIT}


def detect(text: str) -> list[Span]:
    """Non-overlapping spans of personal data in ``text``, in reading order."""
    if not text:
        return []
    kept: list[Span] = []
    for detector in _DETECTORS:
        for span in detector(text):
            overlapping = [other for other in kept if span.start < other.end and other.start < span.end]
            if overlapping and span.kind in _ANNOUNCED and all(other.kind == _SHAPED for other in overlapping):
                kept = [other for other in kept if other not in overlapping]
                overlapping = []
            if not overlapping:
                kept.append(span)
    return sorted(span for span in kept if span.kind != _SHAPED)


def count_flags(*texts: str, include_weak: bool = True) -> int:
    return sum(1 for text in texts for span in detect(text) if include_weak or not span.weak)

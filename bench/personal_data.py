"""Precision and recall of the personal-data detector (common/personal_data.py) on a generated, labelled corpus.

    .venv/bin/python bench/personal_data.py            # 400 texts, seed 19
    .venv/bin/python bench/personal_data.py 2000 7     # more texts, another seed

Half the texts carry planted personal data in varied writings (each planted span is the label);
the other half carry look-alikes a citizen may keep: dates, amounts, times, postal codes alone,
case, SIRET and bare allocataire numbers, NIR, IBAN and card numbers whose key is wrong, and tax
or benefit words followed by no number. A detected span counts
as a true positive when it overlaps a planted span of the same kind; anything else detected is a
false positive. Pure Python: no database, no Django.
"""

import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import personal_data as pd  # noqa: E402

FIRST = ["jean", "marie", "camille", "lucas", "ines", "karim", "sophie", "paul", "lea", "hugo", "nadia"]
LAST = ["Durand", "Martin", "Bernard", "Petit", "Moreau", "Lefèvre", "Nguyen", "Diallo", "Garcia", "Roux"]
DOMAINS = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "yahoo.fr", "hotmail.com", "mairie-lyon.fr"]
STREETS = ["rue", "avenue", "boulevard", "place", "chemin", "impasse", "allée", "route", "quai", "bd"]
STREET_NAMES = ["de la Paix", "Victor Hugo", "du Général de Gaulle", "des Lilas", "Jean Jaurès", "Pasteur"]
CIVILITIES = ["M.", "Mme", "Madame", "Monsieur", "Dr", "Mme.", "Docteur"]
BEFORE = [
    "Bonjour, je vous écris car mon dossier est bloqué depuis trois mois.",
    "L'accueil au guichet a été correct mais l'attente était très longue.",
    "Personne ne répond au téléphone et les courriers restent sans réponse.",
    "Mon allocation a été suspendue sans explication.",
    "",
]
AFTER = [
    "Merci de me recontacter rapidement.",
    "Je suis très déçue du service.",
    "C'est inadmissible.",
    "Cordialement.",
    "",
]


def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def luhn_complete(rng, prefix, length):
    body = prefix + digits(rng, length - len(prefix) - 1)
    for last in "0123456789":
        if pd.luhn_is_valid(body + last):
            return body + last
    raise AssertionError


def grouped(number, size, sep):
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


def email(rng):
    local = rng.choice(FIRST) + rng.choice([".", "_", "", "-"]) + rng.choice(LAST).lower()
    local += rng.choice(["", "", str(rng.randint(1, 99)), "+caf"])
    address = f"{local}@{rng.choice(DOMAINS)}"
    return address.upper() if rng.random() < 0.1 else address


def phone(rng):
    national = rng.choice("1234567") + digits(rng, 8)
    pairs = [national[0]] + [national[i : i + 2] for i in range(1, 9, 2)]
    style = rng.randrange(10)
    if style == 7:
        return "0" + "/".join(pairs)
    if style == 8:
        return "0" + "\u00a0".join(pairs)
    if style == 9:  # grouped by three, as some write a mobile number
        return f"0{national[0]} {national[1:4]} {national[4:7]} {national[7:]}"
    if style == 0:
        return "0" + " ".join(pairs)
    if style == 1:
        return "0" + ".".join(pairs)
    if style == 2:
        return "0" + "-".join(pairs)
    if style == 3:
        return "0" + national
    if style == 4:
        return "+33 " + " ".join(pairs)
    if style == 5:
        return "0033 " + " ".join(pairs)
    return "+33 (0)" + " ".join(pairs)


def nir_parts(rng):
    department = rng.choice(["75", "13", "69", "2A", "2B", "59", "971"[:2], "33"])
    return [rng.choice("12"), digits(rng, 2), f"{rng.randint(1, 12):02d}", department, digits(rng, 3), digits(rng, 3)]


def nir_key(parts):
    number = "".join(parts).replace("2A", "19").replace("2B", "18")
    return f"{97 - int(number) % 97:02d}"


def nir(rng, valid=True):
    parts = nir_parts(rng)
    key = nir_key(parts)
    if not valid:
        key = f"{(int(key) + rng.randint(1, 95)) % 97 + 1:02d}"
        if key == nir_key(parts):
            key = f"{int(key) % 97 + 1:02d}"
    return (" " if rng.random() < 0.6 else "").join([*parts, key])


def iban(rng, valid=True):
    country, bban = rng.choice([("FR", lambda: digits(rng, 23)), ("DE", lambda: digits(rng, 18))])
    bban = bban()
    check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    if not valid:
        check = rng.choice([wrong for wrong in range(2, 99) if wrong != check])
    compact = f"{country}{check:02d}{bban}"
    return grouped(compact, 4, " ") if rng.random() < 0.7 else compact


def card(rng, valid=True):
    number = rng.choice([lambda: luhn_complete(rng, "4", 16), lambda: luhn_complete(rng, "5", 16)])()
    if not valid:
        number = number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10)
    style = rng.randrange(3)
    return grouped(number, 4, [" ", "-", ""][style])


def address(rng):
    number = str(rng.randint(1, 250)) + rng.choice(["", "", " bis", " ter"])
    return f"{number}{rng.choice(['', ','])} {rng.choice(STREETS)} {rng.choice(STREET_NAMES)}"


def spaced(rng, number):
    """As people copy it: run together, grouped as printed, or with a non-breaking space."""
    style = rng.randrange(3)
    if style == 0:
        return number
    sizes = [2, 2, 3, 3, 3] if len(number) == 13 else [len(number)]
    groups, position = [], 0
    for size in sizes:
        groups.append(number[position : position + size])
        position += size
    return (" " if style == 1 else "\u00a0").join(group for group in groups if group)


TAX_NUMBER_WORDS = [
    "mon numéro fiscal est {}",
    "numéro fiscal : {}",
    "n° fiscal {}",
    "N°fiscal : {}",
    "mon numéro d'identification fiscale est le {}",
    "SPI {}",
    "numéro fiscal (SPI) : {}",
    "identifiant fiscal {}",
    "mon numéro de télédéclarant : {}",
]
TAX_NOTICE_WORDS = [
    "référence de l'avis : {}",
    "la référence de l'avis d'impôt est {}",
    "Référence de l’avis d'imposition {}",
    "réf. de l'avis {}",
]
BENEFIT_WORDS = [
    ("mon numéro d'allocataire est {}", "caf"),
    ("n° allocataire : {}", "caf"),
    ("numéro allocataire CAF {}", "caf"),
    ("matricule CAF n° {}", "caf"),
    ("mon numéro CAF : {}", "caf"),
    ("identifiant France Travail : {}", "france_travail"),
    ("mon identifiant Pôle emploi est {}", "france_travail"),
    ("numéro d'inscription à France Travail {}", "france_travail"),
    ("numéro de dossier MDPH : {}", "other"),
    ("mon numéro de dossier à la MDPH est le {}", "other"),
    ("numéro de retraité {}", "other"),
    ("N° de retraite : {}", "other"),
]


def tax_number(rng):
    return rng.choice(TAX_NUMBER_WORDS), spaced(rng, rng.choice("0123") + digits(rng, 12))


def tax_notice(rng):
    reference = f"{rng.randint(18, 25)}{rng.randint(1, 95):02d}{rng.choice('ABCDEFGHJK0123456789')}{digits(rng, 8)}"
    return rng.choice(TAX_NOTICE_WORDS), spaced(rng, reference)


def benefit(rng):
    template, scheme = rng.choice(BENEFIT_WORDS)
    if scheme == "caf":
        return template, digits(rng, 7)
    if scheme == "france_travail":
        return template, digits(rng, 7) + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
    return template, rng.choice(
        [
            lambda: digits(rng, rng.randint(6, 12)),
            lambda: f"{rng.randint(1, 95):03d}-20{rng.randint(10, 25)}-{digits(rng, 5)}",
            lambda: f"{rng.randint(10, 95)}{rng.choice('ABCDMRX')}{digits(rng, 6)}",
        ]
    )()


def name(rng):
    return rng.choice(CIVILITIES), rng.choice(LAST)


LOOK_ALIKES = [
    lambda rng: f"le {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 25)}",
    lambda rng: f"le {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.20{rng.randint(10, 25)}",
    lambda rng: f"depuis le 20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    lambda rng: f"un montant de {rng.randint(1, 99)} {rng.randint(100, 999)},{rng.randint(10, 99)} €",
    lambda rng: f"{rng.randint(1, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)} euros de dette",
    lambda rng: f"à {rng.randint(10, 95)}{rng.randint(0, 999):03d} {rng.choice(['Paris', 'Lyon', 'Lille'])}",
    lambda rng: f"dossier n° 20{rng.randint(10, 25)}-{digits(rng, 6)}",
    lambda rng: f"allocataire depuis 20{rng.randint(10, 25)}, dossier {digits(rng, 7)}",
    lambda rng: f"je suis allocataire {digits(rng, 7)} selon le courrier du {rng.randint(1, 28)} mai",
    lambda rng: f"courrier n° {rng.choice('0123')}{digits(rng, 12)} reçu",
    lambda rng: f"numéro d'allocataire : je ne l'ai plus depuis {rng.randint(2, 9)} ans",
    lambda rng: f"numéro fiscal introuvable sur l'avis 20{rng.randint(18, 25)}, {rng.randint(100, 999)} € à payer",
    lambda rng: f"numéro allocataire {digits(rng, 7)},{rng.randint(10, 99)} € réclamés",
    lambda rng: f"le numéro CAF {rng.choice(['3230', '32 30'])} ne répond pas",
    lambda rng: f"France Travail m'a versé {rng.randint(100, 999)} € le {rng.randint(1, 28)} mars",
    lambda rng: f"MDPH saisie en 20{rng.randint(10, 25)}, dossier {digits(rng, 8)}",
    lambda rng: f"réf. {digits(rng, 4)} {digits(rng, 4)} {digits(rng, 3)}",
    lambda rng: f"SIRET {luhn_complete(rng, rng.choice('3458'), 14)}",
    lambda rng: f"mon numéro {nir(rng, valid=False)}",
    lambda rng: f"le compte {iban(rng, valid=False)}",
    lambda rng: f"la carte {card(rng, valid=False)}",
    lambda rng: f"rendez-vous à {rng.randint(8, 18)}h{rng.choice(['00', '30', '15'])}",
    lambda rng: f"le {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 25)} {rng.randint(8, 18)} h",
    lambda rng: f"{rng.randint(1, 28):02d} {rng.randint(1, 12):02d} 20{rng.randint(10, 25)} à {rng.randint(10, 18)} 30",
    lambda rng: f"{rng.randint(2, 40)} places assises pour {rng.randint(50, 300)} personnes",
    lambda rng: "Monsieur le Maire et Madame la Directrice",
    lambda rng: f"article L. {rng.randint(100, 999)}-{rng.randint(1, 9)} du code",
    lambda rng: f"au {rng.randint(1, 9)}e étage, bureau {rng.randint(100, 400)}",
    lambda rng: f"le 39 {rng.randint(10, 99)} ou le 3949",
    lambda rng: f"l'adresse du site www.{rng.choice(['caf', 'ameli', 'impots'])}.fr",
]

PLANTERS = {
    pd.EMAIL: lambda rng: ("écrivez-moi à {}", email(rng)),
    pd.PHONE: lambda rng: ("mon numéro est le {}", phone(rng)),
    pd.NIR: lambda rng: ("mon numéro de sécurité sociale : {}", nir(rng)),
    pd.IBAN: lambda rng: ("versez sur mon compte {}", iban(rng)),
    pd.CARD: lambda rng: ("ma carte {} a été débitée", card(rng)),
    pd.ADDRESS: lambda rng: ("j'habite au {} à Lyon", address(rng)),
    pd.TAX_NUMBER: tax_number,
    pd.TAX_NOTICE: tax_notice,
    pd.BENEFIT: benefit,
}


def as_sentence(text):
    return text[0].upper() + text[1:] + "."


def planted_text(rng):
    """A text with one to three planted spans; returns it with its labels (start, end, kind)."""
    pieces, labels = [rng.choice(BEFORE)], []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice([*PLANTERS, pd.NAME])
        prefix = (" ".join(pieces) + " ").lstrip()
        if kind == pd.NAME:
            civility, surname = name(rng)
            sentence = f"J'ai été reçu par {civility} {surname}."
            start = len(prefix) + sentence.index(surname)
            labels.append((start, start + len(surname), kind))
        else:
            template, value = PLANTERS[kind](rng)
            sentence = as_sentence(template.format(value))
            start = len(prefix) + sentence.index(value)
            labels.append((start, start + len(value), kind))
        pieces.append(sentence)
    pieces.append(rng.choice(AFTER))
    text = " ".join(pieces).strip()
    offset = len(" ".join(pieces)) - len(" ".join(pieces).lstrip())
    return text, [(start - offset, end - offset, kind) for start, end, kind in labels]


def look_alike_text(rng):
    parts = [rng.choice(BEFORE)] + [as_sentence(rng.choice(LOOK_ALIKES)(rng)) for _ in range(rng.randint(1, 3))]
    return " ".join([*parts, rng.choice(AFTER)]).strip(), []


def corpus(size, seed):
    rng = random.Random(seed)
    return [planted_text(rng) if i % 2 == 0 else look_alike_text(rng) for i in range(size)]


def evaluate(texts):
    true_pos, false_pos, false_neg = Counter(), Counter(), Counter()
    misses, wrong = [], []
    for text, labels in texts:
        found = pd.detect(text)
        for label in labels:
            start, end, kind = label
            assert text[start:end], (text, label)
            if any(s.kind == kind and s.start < end and start < s.end for s in found):
                true_pos[kind] += 1
            else:
                false_neg[kind] += 1
                misses.append((kind, text[start:end]))
        for span in found:
            if not any(span.kind == kind and span.start < end and start < span.end for start, end, kind in labels):
                false_pos[span.kind] += 1
                wrong.append((span.kind, text[span.start : span.end]))
    return true_pos, false_pos, false_neg, misses, wrong


def ratio(numerator, denominator):
    return f"{numerator / denominator:.3f}" if denominator else "—"


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 19
    texts = corpus(size, seed)
    true_pos, false_pos, false_neg, misses, wrong = evaluate(texts)
    print(f"{len(texts)} texts ({sum(1 for _, labels in texts if labels)} with planted data), seed {seed}")
    print(f"{'kind':<10} {'planted':>7} {'found':>6} {'false+':>6} {'precision':>9} {'recall':>7}")
    for kind in pd.KIND_LABELS:
        tp, fp, fn = true_pos[kind], false_pos[kind], false_neg[kind]
        print(f"{kind:<10} {tp + fn:>7} {tp:>6} {fp:>6} {ratio(tp, tp + fp):>9} {ratio(tp, tp + fn):>7}")
    tp, fp, fn = sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values())
    print(f"{'overall':<10} {tp + fn:>7} {tp:>6} {fp:>6} {ratio(tp, tp + fp):>9} {ratio(tp, tp + fn):>7}")
    for kind, value in misses[:10]:
        print(f"missed {kind}: {value!r}")
    for kind, value in wrong[:10]:
        print(f"false {kind}: {value!r}")


if __name__ == "__main__":
    main()

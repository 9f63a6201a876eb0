import pytest

from common.personal_data import (
    ADDRESS,
    BENEFIT,
    CARD,
    EMAIL,
    IBAN,
    NAME,
    NIR,
    PHONE,
    TAX_NOTICE,
    TAX_NUMBER,
    count_flags,
    detect,
    iban_is_valid,
    nir_key_is_valid,
)


def found(text):
    return [(text[span.start : span.end], span.kind) for span in detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Écrivez à jean.dupont+caf@exemple.fr.", "jean.dupont+caf@exemple.fr"),
        ("contact: marie_l@mairie-lyon.gouv.fr", "marie_l@mairie-lyon.gouv.fr"),
    ],
)
def test_emails_are_found(text, expected):
    assert found(text) == [(expected, EMAIL)]


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "01-23-45-67-89",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 1 23 45 67 89",
        "+33612345678",
        "06/12/34/56/78",
        "06\u00a012\u00a034\u00a056\u00a078",
        "06 123 456 78",
    ],
)
def test_phones_in_their_usual_writings(phone):
    assert found(f"Rappelez-moi au {phone} merci") == [(phone, PHONE)]


@pytest.mark.parametrize(
    "text",
    [
        "Rendez-vous le 06/12/2023 à 10h30",
        "Rendez-vous le 06/12/2023 10 h",
        "Le 06 12 2023 à 10 30",
        "Montant réclamé : 1 234,56 € puis 12 345 678 €",
        "J'habite à 75012 Paris",
        "Dossier n° 2023-045678-12",
        "Allocataire depuis 2015, dossier 1234567 toujours bloqué",
        "Il y avait 3 places assises pour 40 personnes",
        "Le 12 rue est fermé",
    ],
)
def test_look_alikes_are_not_flagged(text):
    assert detect(text) == []


def test_nir_with_a_valid_key_is_found_with_spaces_or_not():
    assert found("Mon numéro : 1 85 05 78 006 084 91.") == [("1 85 05 78 006 084 91", NIR)]
    assert found("NIR 185057800608491") == [("185057800608491", NIR)]


def test_nir_with_a_wrong_key_is_not_flagged():
    assert detect("Mon numéro : 1 85 05 78 006 084 92") == []


def test_corsican_nirs_count_2a_as_19_and_2b_as_18():
    base_a = "185052A006084"
    key_a = 97 - int("1850519006084") % 97
    base_b = "185052B006084"
    key_b = 97 - int("1850518006084") % 97
    assert nir_key_is_valid(base_a, str(key_a))
    assert nir_key_is_valid(base_b, str(key_b))
    assert not nir_key_is_valid(base_a, str(key_b))
    text = f"sécu 1 85 05 2A 006 084 {key_a:02d}"
    assert [span.kind for span in detect(text)] == [NIR]


def test_iban_with_a_valid_key_is_found_without_the_next_word():
    text = "Virez sur FR76 3000 6000 0112 3456 7890 189 MERCI"
    assert found(text) == [("FR76 3000 6000 0112 3456 7890 189", IBAN)]
    assert found("iban FR7630006000011234567890189") == [("FR7630006000011234567890189", IBAN)]


def test_iban_with_a_wrong_key_is_not_flagged():
    assert not iban_is_valid("FR77 3000 6000 0112 3456 7890 189")
    assert detect("Virez sur FR77 3000 6000 0112 3456 7890 189") == []


def test_card_numbers_need_the_luhn_key():
    assert found("carte 4111 1111 1111 1111 expirée") == [("4111 1111 1111 1111", CARD)]
    assert found("carte 5500-0000-0000-0004") == [("5500-0000-0000-0004", CARD)]
    assert detect("carte 4111 1111 1111 1112") == []


def test_postal_addresses_need_a_number_a_street_type_and_a_name():
    text = "J'habite 12 bis rue de la Paix à Paris et au 3, avenue Victor Hugo."
    assert found(text) == [("12 bis rue de la Paix", ADDRESS), ("3, avenue Victor Hugo", ADDRESS)]


def test_names_after_civilities_are_a_weak_signal():
    spans = detect("J'ai vu Mme Durand puis Dr Martin Pierre, mais pas M. le Maire.")
    assert [(span.kind, span.weak) for span in spans] == [(NAME, True), (NAME, True)]
    assert found("J'ai vu Mme Durand puis Dr Martin Pierre") == [
        ("Durand", NAME),
        ("Martin Pierre", NAME),
    ]
    assert detect("Monsieur le Directeur, Madame la Présidente") == []


def test_spans_never_overlap_and_checked_keys_win():
    text = "NIR 185057800608491 et tél 0612345678"
    assert [span.kind for span in detect(text)] == [NIR, PHONE]


def test_count_flags_may_leave_weak_signals_out():
    assert count_flags("Mme Durand", "0612345678") == 2
    assert count_flags("Mme Durand", "0612345678", include_weak=False) == 1
    assert count_flags("", "") == 0


def test_digits_inside_a_number_whose_key_fails_are_not_a_phone_or_a_card():
    # Wrong IBAN key: its last groups read like a phone number, yet nothing is flagged.
    assert detect("Le compte DE59 8446 5596 0906 8774 62.") == []
    # Wrong NIR key, though the fifteen digits pass Luhn.
    assert detect("Mon numéro 293111360729397.") == []


def test_a_bare_13_digit_run_is_a_card_only_with_a_card_prefix():
    # Both pass Luhn; only Visa (4) and Maestro (5, 6) issued 13-digit cards, tax numbers start with 0 to 3.
    assert detect("courrier n° 3000000000007 reçu") == []
    assert found("carte 4222222222222") == [("4222222222222", CARD)]


def test_siret_numbers_are_not_cards():
    assert detect("SIRET 35600000000048") == []
    assert detect("siren et siret : 4111 1111 1111 1111") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon numéro fiscal : 0123456789012.", "0123456789012"),
        ("n° fiscal 12 34 567 890 123 sur l'avis", "12 34 567 890 123"),
        ("N°fiscal 3012345678901", "3012345678901"),
        ("Numéro d'identification fiscale : 2123 456 789 012", "2123 456 789 012"),
        ("mon identifiant fiscal est le 1234567890123", "1234567890123"),
        ("SPI 1234567890123", "1234567890123"),
        ("numéro fiscal (SPI) : 0987654321098", "0987654321098"),
        ("Mon numéro de télédéclarant est 0123456789012.", "0123456789012"),
    ],
)
def test_announced_tax_numbers_are_found(text, expected):
    assert found(text) == [(expected, TAX_NUMBER)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Référence de l'avis d'impôt : 24 75 A123456 78.", "24 75 A123456 78"),
        ("référence de l’avis 2475A12345678", "2475A12345678"),
        ("Réf. de l'avis d'imposition : 2313B45678901", "2313B45678901"),
    ],
)
def test_announced_tax_notice_references_are_found(text, expected):
    assert found(text) == [(expected, TAX_NOTICE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon numéro d'allocataire est 1234567.", "1234567"),
        ("N° allocataire CAF : 1234567, merci", "1234567"),
        ("numéro allocataire 7654321", "7654321"),
        ("matricule CAF n° 0045678", "0045678"),
        ("Mon numéro CAF : 1234567", "1234567"),
        ("Identifiant France Travail : 1234567A", "1234567A"),
        ("identifiant Pôle emploi 12345B67", "12345B67"),
        ("mon numéro d'inscription à Pôle emploi est le 7654321X", "7654321X"),
        ("Numéro de dossier MDPH : 075-2021-12345 PAR COURRIER", "075-2021-12345"),
        ("numéro de dossier à la MDPH 93A12345", "93A12345"),
        ("Mon numéro de retraité : 0123456789 depuis mars", "0123456789"),
        ("numéro de retraite 12AB3456", "12AB3456"),
    ],
)
def test_announced_benefit_numbers_are_found(text, expected):
    assert found(text) == [(expected, BENEFIT)]


def test_an_announced_number_is_flagged_even_shaped_like_a_nir_whose_key_fails():
    # A pension number may be the NIR itself: with its key it is a NIR, without it still a pension number.
    assert found("numéro de retraite 1 85 05 78 006 084 91") == [("1 85 05 78 006 084 91", NIR)]
    assert found("numéro de retraité 1 85 05 78 006 084 92") == [("1 85 05 78 006 084 92", BENEFIT)]


def test_an_announced_tax_number_is_neither_a_card_nor_a_phone():
    # 13 Luhn-valid digits (alone, a card) after « numéro fiscal », then a run whose start alone is a phone.
    assert found("numéro fiscal 3000000000007") == [("3000000000007", TAX_NUMBER)]
    assert found("n° fiscal 01 23 45 67 89 012") == [("01 23 45 67 89 012", TAX_NUMBER)]


@pytest.mark.parametrize(
    "text",
    [
        "Je suis allocataire 1234567 fois déçue",
        "Numéro d'allocataire : je ne le retrouve plus",
        "mon numéro allocataire depuis 2015",
        "Numéro de dossier 1234567 ouvert en 2023",
        "Dossier n° 2023-045678-12 à la CAF",
        "J'ai appelé le numéro CAF 3230 puis le 3949",
        "numéro allocataire 1234567,50 € réclamés",
        "numéro allocataire 12345678",
        "numéro fiscal 4123456789012",
        "numéro fiscal 012345678901",
        "Mon numéro fiscal de mon mari 0123456789012",
        "avis d'impôt 2024 : 1 234 567 890 123 € ?",
        "Référence de l'avis : ABCDEFGHIJKLM",
        "identifiant France Travail : MOTDEPAS",
        "numéro de dossier MDPH : 2023",
        "numéro de retraite complémentaire 12345678",
        "SPIRALE 1234567890123",
    ],
)
def test_tax_and_benefit_look_alikes_are_not_flagged(text):
    assert detect(text) == []

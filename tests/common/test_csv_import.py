"""The import report every CSV importer shares: its French summary agrees with the rows' noun."""

from common.csv_import import ImportReport


def test_summary_of_a_masculine_noun_uses_masculine_participles():
    report = ImportReport(subject="indicateurs", feminine=False, created=2, updated=3, unchanged=1)

    assert report.summary() == "Indicateurs : 2 créés, 3 mis à jour, 1 inchangé."


def test_summary_of_a_feminine_noun_uses_feminine_participles():
    report = ImportReport(subject="structures", created=1, updated=2, unchanged=14763)

    assert report.summary() == "Structures : 1 créée, 2 mises à jour, 14 763 inchangées."


def test_summary_of_a_refused_import_counts_its_errors():
    report = ImportReport(subject="indicateurs", feminine=False, created=5)
    report.error(3, "valeur illisible")
    report.error(2, "colonne vide")

    assert report.summary() == "Import annulé : 2 erreurs, rien n'a été enregistré."
    assert report.sorted_errors() == [(2, "colonne vide"), (3, "valeur illisible")]

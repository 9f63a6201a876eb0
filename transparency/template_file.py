"""« Modèle type de fichier d'import » (seed 003): the header and one example row, in UTF-8 with « ; »."""

import csv
import io

from .validation import COLUMNS

TEMPLATE_FILENAME = "modele-import-resultats.csv"
EXAMPLE_ROW = ["", "", "", "", "CODESTRUCT", "", "IND-1", "87,5", "annuelle", "2025", "15/01/2026"]


def import_template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE_ROW)
    return buffer.getvalue()

"""Import the structures referential (`export-structures.csv`): all or nothing, errors listed by line."""

from common.import_command import ImportCommand
from structures.importers import import_structures


class Command(ImportCommand):
    help = "Importe le référentiel des structures de Services Publics+ (export-structures.csv, séparateur « ; »)."
    importer = staticmethod(import_structures)

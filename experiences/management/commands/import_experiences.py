"""Import historical experiences from the open-data export: all or nothing, errors listed by line."""

from common.import_command import ImportCommand
from experiences.importers import import_experiences


class Command(ImportCommand):
    help = (
        "Importe des expériences de l'export open data de Services Publics+ "
        "(séparateur détecté ; importez d'abord les structures)."
    )
    importer = staticmethod(import_experiences)

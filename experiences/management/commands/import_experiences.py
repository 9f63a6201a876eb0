"""Import historical experiences from the open-data export: all or nothing, errors listed by line."""

from experiences.importers import import_experiences
from structures.management.commands.import_structures import Command as ImportStructuresCommand


class Command(ImportStructuresCommand):
    help = (
        "Importe des expériences de l'export open data de Services Publics+ "
        "(séparateur détecté ; importez d'abord les structures)."
    )
    importer = staticmethod(import_experiences)

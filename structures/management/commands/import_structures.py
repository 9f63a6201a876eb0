"""Import the structures referential (`export-structures.csv`): all or nothing, errors listed by line."""

from django.core.management.base import BaseCommand, CommandError

from structures.importers import ImportReport, import_structures


class Command(BaseCommand):
    help = "Importe le référentiel des structures de Services Publics+ (export-structures.csv, séparateur « ; »)."
    importer = staticmethod(import_structures)

    def add_arguments(self, parser):
        parser.add_argument("file", help="chemin du fichier CSV")
        parser.add_argument(
            "--dry-run", action="store_true", help="vérifie le fichier et compte les changements sans rien enregistrer"
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            report = self.importer(file, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Impossible de lire le fichier « {file} » : {error.strerror or error}.") from error
        write_report(self, report, dry_run=dry_run)


def write_report(command: BaseCommand, report: ImportReport, *, dry_run: bool) -> None:
    """Warnings and the summary on stdout; errors on stderr, then a non-zero exit (CommandError)."""
    for line, message in report.warnings:
        command.stdout.write(command.style.WARNING(f"ligne {line} : {message}"))
    if report.errors:
        for line, message in report.sorted_errors():
            command.stderr.write(f"ligne {line} : {message}")
        raise CommandError(report.summary())
    prefix = "Simulation, rien n'a été enregistré. " if dry_run else ""
    command.stdout.write(command.style.SUCCESS(prefix + report.summary()))

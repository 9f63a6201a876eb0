"""The management command every CSV import shares: `--dry-run`, warnings and summary, errors listed by line."""

from django.core.management.base import BaseCommand, CommandError

from common.csv_import import ImportReport

MAX_LISTED = 200


class ImportCommand(BaseCommand):
    """Subclasses set `help` and `importer`: a function (path, *, dry_run) → ImportReport."""

    importer = None

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
    warnings = [f"ligne {line} : {message}" for line, message in report.warnings]
    _write_listed(lambda text: command.stdout.write(command.style.WARNING(text)), warnings, "avertissement")
    if report.errors:
        errors = [f"ligne {line} : {message}" for line, message in report.sorted_errors()]
        _write_listed(command.stderr.write, errors, "erreur")
        raise CommandError(report.summary())
    prefix = "Simulation, rien n'a été enregistré. " if dry_run else ""
    command.stdout.write(command.style.SUCCESS(prefix + report.summary()))


def _write_listed(write, lines: list[str], noun: str) -> None:
    """The first MAX_LISTED lines, then « … et 159 800 autres erreurs »: a file of bad rows can hold
    hundreds of thousands of them, and nobody reads past the first ones."""
    for text in lines[:MAX_LISTED]:
        write(text)
    more = len(lines) - MAX_LISTED
    if more > 0:
        write(f"… et {more:,} autre{'s' if more > 1 else ''} {noun}{'s' if more > 1 else ''}".replace(",", " "))

"""`manage.py seed_demo`: the deterministic demo on the real referential, from 300 to a million experiences."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import SeedError, accounts
from demo.seed import DEFAULT_CHUNK, DEFAULT_SEED, french_number, seed_demo
from demo.tables import LABELS
from experiences.models import Experience


class Command(BaseCommand):
    help = (
        "Charge la démonstration : référentiel réel des structures, 300 expériences réelles, mots-clés, tags "
        "métier, comptes de démonstration et expériences générées. Refuse de tourner si DEBUG est faux."
    )

    def add_arguments(self, parser):
        parser.add_argument("--experiences", type=int, default=2000, help="Expériences générées (2000 par défaut).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Graine du générateur (fixe par défaut).")
        parser.add_argument(
            "--chunk-size", type=int, default=DEFAULT_CHUNK, help="Expériences écrites par lot (multiple de 100)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien changer si la base contient déjà des expériences ; afficher seulement les comptes.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Tourner même si DEBUG est faux (jamais en production)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG est désactivé : seed_demo crée des comptes au mot de passe connu et ne doit jamais "
                "tourner en production. Relancez avec --force si cette base est bien une base de démonstration."
            )
        if options["experiences"] < 0 or options["chunk_size"] < 1:
            raise CommandError("--experiences doit être positif et --chunk-size au moins 1.")
        if Experience.objects.exists():
            if options["if_empty"]:
                self.stdout.write("La base contient déjà des expériences : rien n'a été modifié.\n")
                self.stdout.write(accounts.format_logins(accounts.login_rows()))
                return
            raise CommandError(
                "La base contient déjà des expériences. Utilisez --if-empty pour seulement afficher les comptes, "
                "ou videz la base (manage.py flush) avant de recharger la démonstration."
            )
        try:
            report = seed_demo(
                experiences=options["experiences"],
                seed=options["seed"],
                chunk_size=options["chunk_size"],
                progress=self.progress,
                log=self.stdout.write,
            )
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.summary(report)
        self.stdout.write("")
        self.stdout.write(accounts.format_logins(accounts.login_rows()))

    def progress(self, experiences: int, rows: int, seconds: float) -> None:
        rate = rows / seconds if seconds else 0
        self.stdout.write(
            f"  {french_number(experiences)} expériences — {french_number(rows)} lignes générées "
            f"en {seconds:.0f} s ({french_number(rate)} lignes/s)"
        )

    def summary(self, report) -> None:
        total = sum(report.written.values())
        self.stdout.write(self.style.SUCCESS(f"\nDémonstration chargée en {report.seconds:.0f} s. Lignes générées :"))
        width = max(len(label) for label in LABELS.values())
        for key, label in LABELS.items():
            self.stdout.write(f"  {label.ljust(width)}  {french_number(report.written.get(key, 0)).rjust(11)}")
        self.stdout.write(f"  {'total'.ljust(width)}  {french_number(total).rjust(11)}")

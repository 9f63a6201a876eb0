"""(Re)load INSEE regions and departments; the migrations already do it once."""

from django.core.management.base import BaseCommand

from structures.models import Department, Region
from structures.territories import load_territories


class Command(BaseCommand):
    help = "Charge les régions et départements du COG INSEE 2022."

    def handle(self, *args, **options):
        regions, departments = load_territories(Region, Department)
        self.stdout.write(self.style.SUCCESS(f"{regions} régions et {departments} départements chargés."))

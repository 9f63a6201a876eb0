"""Factories of the transparency app: indicators, results, imports."""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from tests.factories import NetworkFactory, StructureFactory, UserFactory
from transparency.models import Frequency, Import, ImportStatus, Indicator, IndicatorKind, Result, UnitType


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND-{1000 + n}")
    network = factory.SubFactory(NetworkFactory)
    original_label = factory.Sequence(lambda n: f"Indicateur original {n}")
    label = factory.Sequence(lambda n: f"Indicateur {n}")
    kind = IndicatorKind.PERFORMANCE
    sources_and_methods = "Données de gestion du réseau."
    unit_type = UnitType.RATE
    unit = "%"


class ImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Import

    network = factory.SubFactory(NetworkFactory)
    uploaded_by = factory.SubFactory(UserFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"", name="resultats.csv"))
    filename = "resultats.csv"
    sha256 = hashlib.sha256(b"").hexdigest()
    status = ImportStatus.DONE


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    structure = factory.SubFactory(StructureFactory)
    indicator = factory.LazyAttribute(lambda o: IndicatorFactory(network=o.structure.network))
    value = Decimal("92.5")
    frequency = Frequency.YEARLY
    period = "2025"
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2025, 12, 31)
    updated_on = datetime.date(2026, 2, 1)

"""Factories of the tester panel: panellists, campaigns, invitations."""

import datetime

import factory
from django.utils import timezone

from panel.models import AgeRange, Availability, DigitalEase, Invitation, Panellist, TestCampaign
from structures.models import Department
from tests.factories import ModeratorFactory


class PanellistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panellist

    email = factory.Sequence(lambda n: f"testeur{n}@example.org")
    age_range = AgeRange.FROM_25
    department = factory.LazyFunction(lambda: Department.objects.get(code="75"))
    digital_ease = DigitalEase.AT_EASE
    interests = ",courriers,formulaires,"
    availability = Availability.ANY
    consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class TestCampaignFactory(factory.django.DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestCampaign

    title = factory.Sequence(lambda n: f"Test du formulaire {n}")
    description = "Une heure d'entretien en visio pour lire un nouveau courrier."
    subject = "Le courrier de relance de la déclaration de revenus"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    testers_wanted = 5
    created_by = factory.SubFactory(ModeratorFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    campaign = factory.SubFactory(TestCampaignFactory)
    panellist = factory.SubFactory(PanellistFactory)

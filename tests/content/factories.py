"""Factories of the content app: advice and news."""

import datetime

import factory
from django.utils import timezone

from content.models import Advice, NewsArticle, Theme


class AdviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advice

    title = factory.Sequence(lambda n: f"Conseil {n}")
    slug = factory.Sequence(lambda n: f"conseil-{n}")
    summary = "Un conseil pour réussir sa démarche."
    body = "Vérifiez chaque pièce avant d'envoyer votre dossier.\n\nGardez une copie de tout ce que vous envoyez."
    theme = Theme.IDENTITY


class NewsArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsArticle

    title = factory.Sequence(lambda n: f"Actualité {n}")
    slug = factory.Sequence(lambda n: f"actualite-{n}")
    summary = "Une nouvelle de la plateforme."
    body = "Le premier paragraphe.\n\nLe second paragraphe."
    published_at = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(days=100 - n))

"""The nine indicators common to every network (seed 002: five feeling, four production indicators)."""

from django.db import migrations

# (code, wording, kind, sources and methods); all are rates in %.
COMMON_INDICATORS = [
    (
        "IND-1",
        "Taux de satisfaction globale des usagers à l'égard des services publics",
        "ressenti",
        "Part des usagers interrogés se déclarant satisfaits ou très satisfaits du service rendu (enquête "
        "auprès des usagers, baromètre du réseau).",
    ),
    (
        "IND-2",
        "Taux de satisfaction sur les délais de traitement",
        "ressenti",
        "Part des usagers interrogés satisfaits du délai de traitement de leur demande (enquête auprès des usagers).",
    ),
    (
        "IND-3",
        "Taux d'accessibilité du service public",
        "ressenti",
        "Part des usagers interrogés jugeant le service facile à joindre ou à rencontrer (enquête auprès des "
        "usagers).",
    ),
    (
        "IND-4",
        "Taux d'effort des usagers (simplicité des démarches)",
        "ressenti",
        "Part des usagers interrogés jugeant leur démarche simple à réaliser (enquête auprès des usagers).",
    ),
    (
        "IND-5",
        "Taux de qualité de la relation avec les services publics",
        "ressenti",
        "Part des usagers interrogés satisfaits de la relation avec les agents : écoute, courtoisie, clarté "
        "(enquête auprès des usagers).",
    ),
    (
        "IND-6",
        "Taux de décroché des appels téléphoniques",
        "performance",
        "Appels traités par un agent ÷ appels nécessitant un agent (données de la téléphonie du réseau).",
    ),
    (
        "IND-7",
        "Taux de satisfaction des usagers suite à un échange téléphonique",
        "performance",
        "Part des usagers satisfaits à l'issue d'un appel, interrogés après l'échange (enquête à chaud).",
    ),
    (
        "IND-8",
        "Respect du délai de traitement annoncé",
        "performance",
        "Démarches traitées dans le délai annoncé ÷ démarches traitées, pour au moins une démarche phare de "
        "l'administration (données de gestion du réseau).",
    ),
    (
        "IND-9",
        "Taux de qualité des démarches en ligne",
        "performance",
        "Part des démarches en ligne notées au moins 8/10 par leurs usagers (observatoire de la qualité des "
        "démarches en ligne).",
    ),
]


def create_common_indicators(apps, schema_editor):
    Indicator = apps.get_model("transparency", "Indicator")
    for code, label, kind, methods in COMMON_INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "network": None,
                "original_label": label,
                "label": label,
                "kind": kind,
                "sources_and_methods": methods,
                "unit_type": "taux",
                "unit": "%",
            },
        )


def delete_common_indicators(apps, schema_editor):
    Indicator = apps.get_model("transparency", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in COMMON_INDICATORS], results__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("transparency", "0001_indicators_results_imports")]

    operations = [migrations.RunPython(create_common_indicators, delete_common_indicators)]

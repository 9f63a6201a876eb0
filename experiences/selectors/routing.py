"""The routing suggestion a moderator starts from: which structures should answer an experience.

For each typology the experience concerns: the structure of that typology covering the department,
narrowed by the postal code, then by the city for an arrondissement code of Paris, Lyon or Marseille
(the referential places their services in the city as a whole: 69000, commune 69123); when several
match, their nearest common ancestor, which can hand it down to the right child (seed 001 q22); when
none does, the nearest ancestor of that typology's structures in the region, else in the whole network.
The place is the service's own postal code when the typology has one (from the export, or set by the
moderator), else the author's.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet

from experiences.models import MAX_STRUCTURES, Experience, ExperienceTypology
from structures import territories
from structures.models import Structure, Typology
from structures.territories import City, city_of_postal_code

FRENCH_POSTAL_CODE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class RoutingSuggestion:
    structure: Structure
    typology: Typology
    why: str


def suggest_routing(experience: Experience) -> list[RoutingSuggestion]:
    """At most three distinct structures, in the order of the experience's typologies."""
    typologies = (
        ExperienceTypology.objects.filter(experience=experience, typology__isnull=False)
        .select_related("typology")
        .order_by("position")
    )
    suggestions: list[RoutingSuggestion] = []
    for used in typologies:
        suggestion = suggest_for_typology(used.typology, **service_place(used, experience))
        if suggestion and all(s.structure.pk != suggestion.structure.pk for s in suggestions):
            suggestions.append(suggestion)
    return suggestions[:MAX_STRUCTURES]


def service_place(used: ExperienceTypology, experience: Experience) -> dict[str, str]:
    """Department, region and postal code to route by: the service's own, else the author's.

    A citizen of Saint-Denis may write about a Paris tax office: the service's postal code, when set,
    says where it is better than the author's address does.
    """
    postal_code = used.postal_code.strip()
    if used.country.code not in (None, "", "FR"):
        return {}  # a service abroad (a consulate): the author's French address says nothing of it
    if FRENCH_POSTAL_CODE.match(postal_code):
        department = territories.department_code(postal_code)
        region = territories.region_of_department().get(department)
        if region:
            return {"department_code": department, "region_code": region, "postal_code": postal_code}
    return {
        "department_code": experience.department_id or "",
        "region_code": experience.region_id or "",
        "postal_code": experience.postal_code,
    }


def suggest_for_typology(
    typology: Typology, *, department_code: str = "", region_code: str = "", postal_code: str = ""
) -> RoutingSuggestion | None:
    of_typology = Structure.objects.filter(typology=typology, is_active=True)
    # (candidates, why when one structure matches, why when several do and their ancestor is chosen)
    steps = []
    if department_code:
        covering = of_typology.filter(covers_department(department_code))
        if postal_code:
            steps.append(
                (
                    covering.filter(covers_postal_code(postal_code)),
                    "dessert le code postal indiqué",
                    "desservent le code postal indiqué",
                )
            )
            city = city_of_postal_code(postal_code)
            if city and city.department == department_code:
                steps.append(
                    (
                        covering.filter(in_city(city)),
                        f"seule structure de cette typologie à {city.name}, ville du code postal indiqué",
                        f"sont à {city.name}, ville du code postal indiqué",
                    )
                )
        steps.append((covering, "couvre le département de l'usager", "couvrent le département de l'usager"))
    if region_code:
        steps.append(
            (
                of_typology.filter(insee_region=region_code),
                "couvre la région de l'usager",
                "couvrent la région de l'usager",
            )
        )
    steps.append((of_typology, "seule structure de cette typologie", "relèvent de cette typologie"))
    for candidates, why_one, why_several in steps:
        found = nearest_common_ancestor(candidates)
        if found is None:
            continue
        structure, count = found
        why = why_one if count == 1 else f"parente commune des {count} structures de cette typologie qui {why_several}"
        return RoutingSuggestion(structure=structure, typology=typology, why=why)
    return None


def covers_department(code: str) -> Q:
    # served_departments holds codes separated by commas, semicolons or spaces (« 75, 92 »).
    return Q(insee_department=code) | Q(served_departments__regex=rf"(^|[^0-9A-Za-z]){re.escape(code)}([^0-9A-Za-z]|$)")


def covers_postal_code(code: str) -> Q:
    return Q(postal_code=code) | Q(served_postal_codes__regex=rf"(^|[^0-9]){re.escape(code)}([^0-9]|$)")


def in_city(city: City) -> Q:
    # The referential gives a city's services its commune code and the city-wide postal code (69000) or
    # an arrondissement's (69007): either places the structure in the city.
    return Q(insee_commune=city.insee_code) | Q(postal_code__in=city.postal_codes)


def nearest_common_ancestor(structures: QuerySet[Structure]) -> tuple[Structure, int] | None:
    """The deepest structure whose subtree holds them all (itself when there is one), with their count.

    Two queries, whatever their number: their bounds, then the ancestor on the tree's bounds.
    """
    bounds = structures.aggregate(
        count=Count("pk"), trees=Count("tree_id", distinct=True), tree=Min("tree_id"), lft=Min("lft"), rght=Max("rght")
    )
    if not bounds["count"] or bounds["trees"] != 1:
        return None
    ancestor = (
        Structure.objects.filter(tree_id=bounds["tree"], lft__lte=bounds["lft"], rght__gte=bounds["rght"])
        .order_by("-level")
        .first()
    )
    return (ancestor, bounds["count"]) if ancestor else None

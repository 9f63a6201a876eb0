"""Business tags (« tags métier »): shared themes and each network's own (seed 000, data/business_tags.json)."""

from structures.models import BusinessTag, Network

from .material import load

_TAGS = load("business_tags")
COMMON_TAGS: tuple[str, ...] = _TAGS["common"]
NETWORK_TAGS: dict[str, tuple[str, ...]] = _TAGS["by_network"]  # keyed by the network's name


def tag_names(network_name: str) -> tuple[str, ...]:
    return COMMON_TAGS + NETWORK_TAGS.get(network_name, ())


def add_business_tags() -> int:
    """Create the demo business tags of every network (idempotent); returns how many were created."""
    existing = set(BusinessTag.objects.values_list("network_id", "name"))
    wanted = [
        BusinessTag(network_id=network_id, name=name)
        for network_id, network_name in Network.objects.values_list("pk", "name")
        for name in tag_names(network_name)
        if (network_id, name) not in existing
    ]
    BusinessTag.objects.bulk_create(wanted)
    return len(wanted)

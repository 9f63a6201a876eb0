"""Fixtures shared by the experiences' tests."""

import pytest

from structures.models import Role
from tests import factories as f

AUTHOR_EMAIL = "auteur.cache@example.org"


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def transfer(structure_tree):
    """An agent of "mine" asks to transfer an experience routed to "mine" to the "foreign" structure."""
    experience = f.ExperienceFactory(author_email=AUTHOR_EMAIL)
    f.AssignmentFactory(experience=experience, structure=structure_tree["mine"])
    requester = f.MembershipFactory(structure=structure_tree["mine"], role=Role.AGENT).user
    return f.TransferRequestFactory(
        experience=experience,
        from_structure=structure_tree["mine"],
        to_structure=structure_tree["foreign"],
        requested_by=requester,
    )

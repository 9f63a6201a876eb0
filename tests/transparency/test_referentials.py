"""The indicators referential and who may import results for which network."""

import pytest

from structures.models import Role
from structures.permissions import networks_importable_by, structures_importable_by
from tests.factories import MembershipFactory, NetworkFactory, StructureFactory
from tests.transparency.factories import IndicatorFactory
from transparency.models import Indicator, IndicatorKind

pytestmark = pytest.mark.django_db


def test_the_nine_common_indicators_are_loaded_by_migration():
    common = Indicator.objects.filter(network=None)
    assert common.count() == 9
    assert common.filter(kind=IndicatorKind.FEELING).count() == 5
    assert common.filter(kind=IndicatorKind.PERFORMANCE).count() == 4
    assert set(common.values_list("unit", flat=True)) == {"%"}


def test_network_sees_its_own_and_the_common_indicators_only():
    mine, other = NetworkFactory(), NetworkFactory()
    own = IndicatorFactory(network=mine)
    IndicatorFactory(network=other)
    assert set(Indicator.objects.for_network(mine)) == {own, *Indicator.objects.filter(network=None)}


def test_referent_can_import_for_the_networks_of_their_memberships_only(structure_tree):
    referent = MembershipFactory(structure=structure_tree["mine"], role=Role.REFERENT).user
    network = structure_tree["mine"].network
    assert list(networks_importable_by(referent)) == [network]
    assert set(structures_importable_by(referent, network)) == {structure_tree["mine"], structure_tree["child"]}


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPER_AGENT, Role.EVALUATOR, Role.SUPER_EVALUATOR])
def test_other_roles_cannot_import(role):
    user = MembershipFactory(structure=StructureFactory(), role=role).user
    assert not networks_importable_by(user).exists()


def test_moderator_cannot_import(moderator):
    StructureFactory()
    assert not networks_importable_by(moderator).exists()


def test_result_codes_follow_each_other_in_order_and_never_repeat(monkeypatch):
    from transparency import models

    # Many codes in one millisecond, then the clock going back: still distinct and in order.
    clock = iter([1_800_000_000_000_000_000] * 3001 + [1_799_999_999_000_000_000] * 10 + [1_800_000_000_002_000_000])
    monkeypatch.setattr(models.time, "time_ns", lambda: next(clock))
    codes = [models.new_result_code() for _ in range(3000)]
    codes += models.new_result_codes(5000)  # an import's chunk, in the same millisecond
    codes += [models.new_result_code() for _ in range(11)]

    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert all(len(code) == 20 and code.startswith("RES-") for code in codes)
    # Codes given before (« RES- » and 12 hexadecimal digits) can never be equal to a new one.
    assert all(set(code[4:]) <= set(models.CROCKFORD) for code in codes)


def test_two_results_cannot_share_a_code(structure_tree):
    from django.db import IntegrityError, transaction

    from tests.transparency.factories import ResultFactory

    first = ResultFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(code=first.code)

import numpy as np
import pytest

from dekomopt.metrics import net_funding_per_fte


def test_hand_computed_case():
    # Region A: FTE 40, coordination 400 -> 10 per FTE; region B: 400 / 6 per FTE.
    net = net_funding_per_fte(
        amount=[1000, 2000, 600],
        fte=[10, 30, 6],
        km=[5, 0, 20],
        region=["A", "A", "B"],
        cost_per_km_fte=2.0,
        coordination_cost_per_region=400.0,
    )
    np.testing.assert_allclose(net, [100 - 10 - 10, 2000 / 30 - 10, 100 - 40 - 400 / 6], rtol=1e-14)


def test_zero_fte_owner_is_nan_and_bears_no_coordination_cost():
    net = net_funding_per_fte(
        amount=[500, 800, 0],
        fte=[10, 0, 0],
        km=[0, 3, 1],
        region=[1, 1, 2],
        cost_per_km_fte=1.0,
        coordination_cost_per_region=100.0,
    )
    assert net[0] == pytest.approx(50 - 10)
    assert np.isnan(net[1]) and np.isnan(net[2])


def test_costs_are_conserved(rng):
    n = 12
    amount = rng.uniform(1e5, 1e6, n)
    fte = rng.uniform(1, 300, n)
    km = rng.uniform(0, 200, n)
    region = rng.integers(0, 3, n)
    net = net_funding_per_fte(amount, fte, km, region, 15.0, 50_000.0)
    n_regions = np.unique(region).size
    expected = amount.sum() - 15.0 * (km * fte).sum() - 50_000.0 * n_regions
    assert (net * fte).sum() == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"km": [1, -1]}, "km"),
        ({"fte": [1]}, "fte"),
        ({"amount": [np.nan, 1]}, "amount"),
        ({"region": ["A"]}, "region"),
        ({"cost_per_km_fte": -1}, "cost_per_km_fte"),
        ({"coordination_cost_per_region": np.inf}, "coordination_cost_per_region"),
    ],
)
def test_invalid_arguments_are_named(kwargs, name):
    args = {
        "amount": [1, 2],
        "fte": [1, 2],
        "km": [1, 2],
        "region": ["A", "B"],
        "cost_per_km_fte": 1.0,
        "coordination_cost_per_region": 1.0,
    } | kwargs
    with pytest.raises(ValueError, match=name):
        net_funding_per_fte(**args)

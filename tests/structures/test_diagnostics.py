from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from dekomopt.structures import (
    canonical_labels,
    cut_edge_counts,
    diagnose,
    distinct_share,
    ess,
    max_part_weights,
    run_chains,
    split_rhat,
)
from dekomopt.structures.recom import ChainResult

from .conftest import grid


def _ar1(rng, chains, n, rho):
    x = np.empty((chains, n))
    x[:, 0] = rng.standard_normal(chains) / np.sqrt(1 - rho**2)
    noise = rng.standard_normal((chains, n))
    for t in range(1, n):
        x[:, t] = rho * x[:, t - 1] + noise[:, t]
    return x


@pytest.mark.parametrize("classic", [False, True])
def test_rhat_is_one_for_iid_and_large_for_shifted_chains(classic):
    rng = np.random.default_rng(0)
    iid = rng.standard_normal((4, 2000))
    assert split_rhat(iid, classic=classic) == pytest.approx(1.0, abs=0.01)
    shifted = iid + np.array([0, 0, 0, 2.0])[:, None]
    assert split_rhat(shifted, classic=classic) > 1.3


def test_split_rhat_sees_a_trend_within_one_chain():
    drift = np.linspace(0, 5, 1000)[None, :] + np.random.default_rng(1).standard_normal((1, 1000))
    assert split_rhat(drift) > 1.5


def test_ess_of_iid_and_ar1():
    rng = np.random.default_rng(2)
    n = 4 * 5000
    assert ess(rng.standard_normal((4, 5000))) == pytest.approx(n, rel=0.1)
    rho = 0.6
    assert ess(_ar1(rng, 4, 5000, rho)) == pytest.approx(n * (1 - rho) / (1 + rho), rel=0.15)


def test_constant_draws():
    assert split_rhat(np.ones((3, 10))) == 1.0
    assert split_rhat(np.array([[1.0] * 10, [2.0] * 10])) == np.inf
    assert ess(np.ones((2, 10))) == 20


def _chain(assignments, k=2):
    a = np.array(assignments, dtype=np.int8)
    return ChainResult(
        tuple(range(a.shape[1])), k, 0.1, "recom", a[0], a, np.ones(len(a), dtype=bool)
    )


def test_metrics_on_a_hand_computed_path():
    graph = nx.path_graph(4)
    chain = _chain([[0, 0, 1, 1], [1, 0, 0, 0], [0, 1, 1, 1]])
    assert cut_edge_counts(chain, graph).tolist() == [1, 1, 1]
    weights = {0: 1, 1: 2, 2: 3, 3: 4}
    assert max_part_weights(chain, weights).tolist() == [7, 9, 9]
    assert canonical_labels(chain.assignments).tolist() == [
        [0, 0, 1, 1],
        [0, 1, 1, 1],
        [0, 1, 1, 1],
    ]
    assert distinct_share([chain]) == pytest.approx(2 / 3)


def test_diagnose_reports_for_a_real_chain():
    graph = grid(4, 4)
    chains = run_chains(graph, 4, None, 0.0, seed=1, steps=600, chains=4)
    report = diagnose(chains, graph, burn_in=100)
    assert report.chains == 4 and report.steps == 500
    assert report.acceptance_rate == pytest.approx(
        np.mean([c.accepted[100:].mean() for c in chains])
    )
    assert 0 < report.distinct_share <= 1
    names = [m.name for m in report.metrics]
    assert names == ["cut_edges", "max_part_weight"]
    cut = report.metrics[0]
    assert cut.rhat < 1.1 and 10 < cut.ess <= 4 * 500 * 2

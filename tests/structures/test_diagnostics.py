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


@pytest.mark.parametrize("method", ["mean", "bulk", "tail"])
def test_ess_of_iid_and_ar1(method):
    rng = np.random.default_rng(2)
    n = 4 * 5000
    assert ess(rng.standard_normal((4, 5000)), method=method) == pytest.approx(n, rel=0.15)
    rho = 0.6
    expected = n * (1 - rho) / (1 + rho)
    found = ess(_ar1(rng, 4, 5000, rho), method=method)
    if method == "tail":
        # the tail indicators of an AR(1) are less correlated than the draws themselves
        assert expected < found < n
    else:
        assert found == pytest.approx(expected, rel=0.15)


def test_constant_draws():
    assert split_rhat(np.ones((3, 10))) == 1.0
    assert split_rhat(np.array([[1.0] * 10, [2.0] * 10])) == np.inf
    assert ess(np.ones((2, 10))) == 20


def _reference_ess(chains: np.ndarray) -> float:
    """Stan's ESS written out from Vehtari et al. (2021) and Stan's
    ``compute_effective_sample_size``: direct-sum autocovariances, Geyer's initial positive
    sequence, the final even term, the initial monotone sequence."""
    m, n = chains.shape
    if np.ptp(chains) < np.finfo(float).resolution:
        return float(m * n)
    centred = chains - chains.mean(axis=1, keepdims=True)
    acov = np.array(
        [[float(np.dot(c[: n - lag], c[lag:])) / n for lag in range(n)] for c in centred]
    )
    mean_var = acov[:, 0].mean() * n / (n - 1)
    var_plus = mean_var * (n - 1) / n + (chains.mean(axis=1).var(ddof=1) if m > 1 else 0.0)

    def rho(lag: int) -> float:
        return 1 - (mean_var - acov[:, lag].mean()) / var_plus

    r = np.zeros(n + 2)
    r[0], r[1] = 1.0, rho(1)
    even, odd = 1.0, r[1]
    s = 1
    while s < n - 3 and even + odd > 0:
        even, odd = rho(s + 1), rho(s + 2)
        if even + odd >= 0:
            r[s + 1], r[s + 2] = even, odd
        s += 2
    final = even if even > 0 else 0.0
    for j in range(1, s - 3, 2):
        if r[j + 1] + r[j + 2] > r[j - 1] + r[j]:
            r[j + 1] = r[j + 2] = (r[j - 1] + r[j]) / 2
    tau = -1 + 2 * r[: s - 1].sum() + final
    total = m * n
    return min(total / tau, total * np.log10(total))


def _split(x):
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, -half:]])


def _z(x):
    from scipy.stats import norm, rankdata

    r = rankdata(x, method="average").reshape(x.shape)
    return norm.ppf((r - 0.375) / (x.size + 0.25))


FIXED = {
    "ar1": _ar1(np.random.default_rng(11), 4, 301, 0.7),
    "heavy": np.random.default_rng(12).standard_cauchy((3, 200)),
    "antithetic": _ar1(np.random.default_rng(13), 2, 400, -0.5),
    "shifted": np.random.default_rng(14).standard_normal((4, 150)) + np.arange(4)[:, None] / 2,
    "discrete": np.random.default_rng(15).integers(0, 3, (4, 120)).astype(float),
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_ess_agrees_with_a_direct_reference(name):
    x = FIXED[name]
    assert ess(x, method="mean") == pytest.approx(_reference_ess(_split(x)), rel=1e-9)
    assert ess(x, method="bulk") == pytest.approx(_reference_ess(_z(_split(x))), rel=1e-9)
    tails = [_reference_ess(_split((x <= np.quantile(x, q)).astype(float))) for q in (0.05, 0.95)]
    assert ess(x, method="tail") == pytest.approx(min(tails), rel=1e-9)


def test_bulk_ess_splits_before_rank_normalising():
    # a trend inside each chain: split chains see it, whole chains do not
    x = np.random.default_rng(16).standard_normal((2, 400)) + np.linspace(0, 3, 400)
    whole = _reference_ess(_z(x))
    assert ess(x, method="bulk") == pytest.approx(_reference_ess(_z(_split(x))), rel=1e-9)
    assert ess(x, method="bulk") < 0.8 * whole


def test_unknown_ess_method():
    with pytest.raises(ValueError, match="method"):
        ess(np.ones((2, 10)), method="median")


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
    assert 10 < cut.ess_tail <= 4 * 500 * 2

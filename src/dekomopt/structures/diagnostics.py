"""Convergence diagnostics for several independent chains, as redist and Stan report them.

R-hat is the rank-normalised split R-hat of Vehtari, Gelman, Simpson, Carpenter and Bürkner
(2021): the larger of the bulk (rank-normalised draws) and tail (rank-normalised folded draws)
split R-hat. ``classic=True`` gives the Gelman–Rubin split R-hat on the raw draws (BDA3).
ESS is the multi-chain effective sample size of Stan (BDA3 with Geyer's initial positive and
monotone sequences and Stan's final correction term) on split chains: ``"mean"`` on the raw
draws, ``"bulk"`` on the rank-normalised draws, ``"tail"`` the smaller ESS of the indicators of
the 5 % and 95 % quantiles — as Vehtari et al. (2021) define them and ArviZ computes them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.special import ndtri
from scipy.stats import rankdata

from dekomopt.structures.recom import ChainResult


def _as_draws(draws: np.ndarray) -> np.ndarray:
    arr = np.asarray(draws, dtype=float)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] < 4:
        raise ValueError("draws must be (chains, draws) with at least 4 draws per chain")
    return arr


def _split(arr: np.ndarray) -> np.ndarray:
    half = arr.shape[1] // 2
    return np.concatenate([arr[:, :half], arr[:, arr.shape[1] - half :]], axis=0)


def _rank_normalize(arr: np.ndarray) -> np.ndarray:
    ranks = rankdata(arr, method="average").reshape(arr.shape)
    return ndtri((ranks - 3 / 8) / (arr.size + 1 / 4))


def _rhat_core(arr: np.ndarray) -> float:
    n = arr.shape[1]
    within = arr.var(axis=1, ddof=1).mean()
    between = n * arr.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else math.inf
    return float(math.sqrt(((n - 1) / n * within + between / n) / within))


def split_rhat(draws: np.ndarray, *, classic: bool = False) -> float:
    """Split R-hat of ``draws`` (chains x draws); values near 1 mean the chains agree.

    Constant draws in every chain give 1.0 when all chains agree and inf when they do not.
    """
    arr = _split(_as_draws(draws))
    if classic:
        return _rhat_core(arr)
    bulk = _rhat_core(_rank_normalize(arr))
    folded = np.abs(arr - np.median(arr))
    tail = _rhat_core(_rank_normalize(folded))
    return max(bulk, tail)


def _autocovariance(x: np.ndarray) -> np.ndarray:
    n = x.size
    size = 1 << (2 * n - 1).bit_length()
    centred = x - x.mean()
    spectrum = np.fft.rfft(centred, size)
    return np.fft.irfft(spectrum * np.conj(spectrum), size)[:n] / n


ESS_METHODS = ("mean", "bulk", "tail")


def _ess_core(arr: np.ndarray) -> float:
    """ESS of (chains x draws) as given (no splitting), Stan's estimator."""
    m, n = arr.shape
    if arr.max() - arr.min() < np.finfo(float).resolution:
        return float(arr.size)
    acov = np.array([_autocovariance(chain) for chain in arr])
    within = acov[:, 0].mean() * n / (n - 1)
    var_plus = within * (n - 1) / n
    if m > 1:
        var_plus += arr.mean(axis=1).var(ddof=1)
    rho = 1 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    kept = np.zeros(n)
    kept[:2] = rho[:2]
    # Geyer's initial positive sequence over pairs (rho[t+1], rho[t+2])
    t = 1
    even, odd = 1.0, rho[1]
    while t < n - 3 and even + odd > 0:
        even, odd = rho[t + 1], rho[t + 2]
        if even + odd >= 0:
            kept[t + 1], kept[t + 2] = even, odd
        t += 2
    last = t - 2
    # Stan's final term: the last positive even autocorrelation
    if even > 0:
        kept[last + 1] = even
    # Geyer's initial monotone sequence
    for t in range(1, last - 1, 2):
        if kept[t + 1] + kept[t + 2] > kept[t - 1] + kept[t]:
            kept[t + 1] = kept[t + 2] = (kept[t - 1] + kept[t]) / 2
    tau = -1 + 2 * kept[: last + 1].sum() + kept[last + 1 : last + 2].sum()
    tau = max(tau, 1 / math.log10(arr.size))
    return float(arr.size / tau)


def ess(draws: np.ndarray, *, method: str = "bulk") -> float:
    """Effective sample size of ``draws`` (chains x draws) on split chains, pooling all chains.

    ``method`` is ``"mean"`` (raw draws), ``"bulk"`` (rank-normalised draws) or ``"tail"``
    (the smaller of the ESS of ``draws <= q05`` and ``draws <= q95``). Draws that do not vary
    give the number of draws.
    """
    if method not in ESS_METHODS:
        raise ValueError(f"method must be one of {ESS_METHODS}, got {method!r}")
    arr = _as_draws(draws)
    if method == "tail":
        return min(
            _ess_core(_split((arr <= np.quantile(arr, q)).astype(float))) for q in (0.05, 0.95)
        )
    split = _split(arr)
    if method == "bulk" and split.max() - split.min() >= np.finfo(float).resolution:
        split = _rank_normalize(split)
    return _ess_core(split)


def canonical_labels(assignments: np.ndarray) -> np.ndarray:
    """Relabel each row so parts are numbered by their first node: equal partitions, equal rows."""
    arr = np.asarray(assignments)
    rows, n = arr.shape
    k = int(arr.max()) + 1 if arr.size else 0
    first = np.full((rows, k), n, dtype=np.int64)
    index = np.arange(rows)
    for j in range(n - 1, -1, -1):
        first[index, arr[:, j]] = j
    rank = np.argsort(np.argsort(first, axis=1), axis=1)
    return np.take_along_axis(rank, arr.astype(np.int64), axis=1).astype(arr.dtype)


def cut_edge_counts(chain: ChainResult, graph: nx.Graph) -> np.ndarray:
    """Number of edges joining different parts, per step."""
    pos = {node: i for i, node in enumerate(chain.nodes)}
    u = np.array([pos[a] for a, b in graph.edges if a != b])
    v = np.array([pos[b] for a, b in graph.edges if a != b])
    return (chain.assignments[:, u] != chain.assignments[:, v]).sum(axis=1)


def part_weights(chain: ChainResult, weights: Mapping[Hashable, float] | None) -> np.ndarray:
    """Weight of every part per step, shape (steps, k); weights default to 1."""
    w = np.array([1.0 if weights is None else float(weights[n]) for n in chain.nodes])
    one_hot = chain.assignments[:, :, None] == np.arange(chain.k)[None, None, :]
    return np.einsum("tnk,n->tk", one_hot, w)


def max_part_weights(chain: ChainResult, weights: Mapping[Hashable, float] | None) -> np.ndarray:
    """Largest part weight per step."""
    return part_weights(chain, weights).max(axis=1)


def distinct_share(chains: Sequence[ChainResult]) -> float:
    """Distinct partitions visited (pooled over chains) divided by the total number of steps."""
    rows = np.concatenate([canonical_labels(c.assignments) for c in chains])
    if not len(rows):
        return math.nan
    return len(np.unique(rows, axis=0)) / len(rows)


@dataclass(frozen=True)
class MetricDiagnostics:
    """Rank-normalised split R-hat, bulk ESS (``ess``), tail ESS and the mean of one chain
    statistic."""

    name: str
    rhat: float
    ess: float
    ess_tail: float
    mean: float


@dataclass(frozen=True)
class ChainDiagnostics:
    """What redist's ``summary`` reports for a set of independent chains."""

    chains: int
    steps: int
    acceptance_rate: float
    distinct_share: float
    metrics: tuple[MetricDiagnostics, ...]


def diagnose(
    chains: Sequence[ChainResult],
    graph: nx.Graph,
    weights: Mapping[Hashable, float] | None = None,
    *,
    burn_in: int = 0,
) -> ChainDiagnostics:
    """R-hat, bulk and tail ESS and mean of the cut-edge count and the largest part weight
    after ``burn_in`` steps."""
    kept = [
        ChainResult(
            c.nodes,
            c.k,
            c.tol,
            c.variant,
            c.initial,
            c.assignments[burn_in:],
            c.accepted[burn_in:],
        )
        for c in chains
    ]
    series = {
        "cut_edges": np.array([cut_edge_counts(c, graph) for c in kept]),
        "max_part_weight": np.array([max_part_weights(c, weights) for c in kept]),
    }
    metrics = tuple(
        MetricDiagnostics(
            name, split_rhat(x), ess(x, method="bulk"), ess(x, method="tail"), float(x.mean())
        )
        for name, x in series.items()
    )
    return ChainDiagnostics(
        chains=len(kept),
        steps=kept[0].assignments.shape[0] if kept else 0,
        acceptance_rate=float(np.mean([c.acceptance_rate for c in kept])),
        distinct_share=distinct_share(kept),
        metrics=metrics,
    )

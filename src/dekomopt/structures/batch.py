"""The scenario's LP for many structures at once: one model per partner pattern, bounds for the
whole batch from the rule objects, one warm HiGHS instance.

A structure changes which municipalities form each region, not the rules. With the owners'
funds split by FTE inside a region (``owner_split = "fte"``) and only the rules in
:data:`MEMBERSHIP_FREE`, the LP's rows read regions, themes, sectors and partners but never
which owners a region has: the membership enters through the data (each region's FTEs, so its
key share, and each owner's part of its region) and so through bounds only, which the rule
objects compute for a whole batch of structures at once, as they do for Monte Carlo draws.

Each region is linked to every partner, and the objective charges travel beyond the region's
nearest partner. When no partner has a capacity (R9's rows are free) and ``distance_cost > 0``,
funds on a farther edge can always move to the nearest edge of the same region, theme and
sector: every other row reads the region, theme and sector alone, so the move keeps them, and
it lowers the cost. No optimum uses a farther edge, so the LP with each region linked to its
nearest partner only has the same optima. That LP keeps one basis across structures (its
columns are "the region's partner funds", whoever the partner is), where the full one changes
basis with every change of nearest partner. Its coefficients depend on the structure only
through which partner is nearest (R9's rows), so one model is built per such pattern.

Costs and matrix being the same for every structure, an optimal basis of one structure is
optimal for another wherever its basic solution there stays within the bounds
(:class:`OptimalBasis`): then a batch is one linear solve per basis, and HiGHS solves only the
structures no basis so far fits (warm, from the last one).

Structures outside these conditions (a tie for the nearest partner) are left to the
one-structure path of :class:`~dekomopt.structures.evaluate.StructureEvaluator`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import highspy
import numpy as np
import scipy.linalg
import scipy.sparse as sp

from dekomopt.allocation.highs import HighsLP
from dekomopt.allocation.keys import Draws, facts_from, key_sectors, sector_shares
from dekomopt.allocation.model import LinearModel, active_rules, build_model, lp_bounds
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Status
from dekomopt.allocation.rules import make_space
from dekomopt.metrics.regions import Membership

MEMBERSHIP_FREE: frozenset[str] = frozenset({"R1", "R2", "R3", "R5", "R7", "R8", "R9"})
"""Rules whose LP rows, with ``owner_split = "fte"``, read regions, themes, sectors and
partners only (R4 and R11 have rows per owner or sum owners' needs; R10 is never on here)."""


@dataclass(frozen=True)
class Geometry:
    """What a batch of structures of ``k`` regions makes of the county (structures first)."""

    owner_region: np.ndarray
    """structures × owners region codes; regions ``k ..`` are the fixed ones."""
    n_regions: int
    region_km: np.ndarray
    """structures × regions × partners: FTE-weighted great-circle km (at least 0.1)."""

    def take(self, at: np.ndarray) -> Geometry:
        """The structures ``at`` only."""
        return Geometry(self.owner_region[at], self.n_regions, self.region_km[at])

    @property
    def nearest_km(self) -> np.ndarray:
        return self.region_km.min(axis=2)

    @property
    def nearest(self) -> np.ndarray:
        """structures × regions: the nearest partner (the first among equals)."""
        return self.region_km.argmin(axis=2)

    @property
    def tied(self) -> np.ndarray:
        """Per structure: whether some region has two nearest partners."""
        at_min = self.region_km == self.nearest_km[:, :, None]
        return (at_min.sum(axis=2) > 1).any(axis=1)


def geometry(
    node_owner: np.ndarray,
    fixed_owner_region: np.ndarray,
    n_fixed: int,
    owner_fte: np.ndarray,
    owner_km: np.ndarray,
    labels: np.ndarray,
) -> Geometry:
    """Regions and their distances to the partners for structures × nodes ``labels`` of
    ``k = labels.max() + 1`` regions (the arithmetic of
    :func:`~dekomopt.structures.evaluate.structure_problem`, for many structures)."""
    labels = np.asarray(labels, dtype=np.int64)
    k = int(labels.max()) + 1
    n_regions = k + n_fixed
    owner_region = np.repeat(
        np.where(fixed_owner_region >= 0, fixed_owner_region + k, 0)[None], len(labels), axis=0
    )
    owner_region[:, node_owner] = labels
    member = Membership(owner_region, n_regions)
    fte = np.asarray(owner_fte, dtype=float)
    n_s = len(labels)
    weighted = member.sum(np.broadcast_to(fte[:, None] * owner_km, (n_s, *owner_km.shape)))
    region_fte = member.sum(np.broadcast_to(fte, owner_region.shape))
    # a region without teachers is measured from its municipalities' unweighted mean
    plain = member.sum(np.broadcast_to(owner_km, (n_s, *owner_km.shape)))
    count = member.sum(np.ones(owner_region.shape))
    empty = region_fte == 0
    weighted[empty] = plain[empty]
    region_fte[empty] = count[empty]
    region_km = np.maximum(weighted / region_fte[:, :, None], 0.1)
    return Geometry(owner_region, n_regions, region_km)


def nearest_only(problem: AllocationProblem) -> AllocationProblem:
    """``problem`` with each region linked to its nearest partners only (see the module)."""
    km = np.asarray(problem.edge_km, dtype=float)
    region = np.asarray(problem.edge_region, dtype=np.int64)
    nearest = np.full(problem.n_regions, np.inf)
    np.minimum.at(nearest, region, km)
    keep = km == nearest[region]
    return problem.with_(
        edge_region=region[keep],
        edge_partner=np.asarray(problem.edge_partner)[keep],
        edge_km=km[keep],
    )


def reducible(problem: AllocationProblem) -> bool:
    """Whether structures of ``problem``'s scenario can be solved by :class:`BatchLP` (every
    partner's place known, so that a nearest partner exists)."""
    rules = problem.rules
    return (
        rules.owner_split == "fte"
        and {rule.id for rule in active_rules(problem)} <= MEMBERSHIP_FREE
        and not np.isfinite(np.asarray(problem.partner_capacity, dtype=float)).any()
        and rules.distance_cost > 0
        and bool(np.isfinite(problem.edge_km).all())
    )


@dataclass(frozen=True)
class BatchSolution:
    """LP results of a batch of structures (rows), in kroner before rounding."""

    status: list[Status]
    owner_totals: np.ndarray
    """structures × owners: each owner's own funds."""
    partner_funds: np.ndarray
    """structures × regions: funds to the region's partners."""
    solver_runs: int
    """How many structures HiGHS solved; the others were solved in an optimal basis of
    another (:class:`OptimalBasis`)."""


class BatchLP:
    """Solves structures of one number of regions in one HiGHS instance (see the module).

    The model is that of ``template`` (a structure's problem with each region linked to its
    nearest partner, :func:`nearest_only`) without its free rows (R9's, no capacity being
    set): those constrain nothing, and they are the only rows whose coefficients follow which
    partner is nearest (:meth:`of` checks both), so one model serves every structure.
    """

    def __init__(self, template: AllocationProblem, model: LinearModel, keep: np.ndarray):
        self.problem = template
        self.space = make_space(template)
        self.rules = active_rules(template)
        self.model = model
        self.keep = keep
        self._matrix = model.matrix()
        self._lp: HighsLP | None = None
        self._basis: OptimalBasis | None = None

    @classmethod
    def of(cls, template: AllocationProblem) -> BatchLP | None:
        """The batch LP of ``template``'s number of regions; None when some row that is not
        free reads which partner is nearest."""
        model = build_model(template, with_names=False)
        free = np.isneginf(model.row_lo) & np.isposinf(model.row_hi)
        n_p = template.n_partners
        partner = np.asarray(template.edge_partner, dtype=np.int64)
        for shift in range(1, n_p):
            other = build_model(template.with_(edge_partner=(partner + shift) % n_p), False)
            differ = (
                (other.rows != model.rows) | (other.cols != model.cols) | (other.vals != model.vals)
            )
            moved = np.r_[model.rows[differ], other.rows[differ]]
            if not free[moved].all() or not np.array_equal(other.cost, model.cost):
                return None
        keep = ~free
        new_row = np.cumsum(keep) - 1
        entries = keep[model.rows]
        reduced = replace(
            model,
            row_lo=model.row_lo[keep],
            row_hi=model.row_hi[keep],
            rows=new_row[model.rows[entries]],
            cols=model.cols[entries],
            vals=model.vals[entries],
            row_names=(),
        )
        return cls(template, reduced, keep)

    def reset(self) -> None:
        """Forget the warm basis: what follows does not depend on what was solved before."""
        self._lp = None
        self._basis = None

    def solve(self, geo: Geometry, budget: int) -> BatchSolution:
        """The LP of every structure of ``geo`` (none with a tie for nearest partner)."""
        p = self.problem
        n = len(geo.owner_region)
        owner_km = np.take_along_axis(geo.nearest_km, geo.owner_region, axis=1)
        fte = np.broadcast_to(np.asarray(p.owner_fte, dtype=float), geo.owner_region.shape)
        part = np.broadcast_to(np.asarray(p.owner_participates, dtype=bool), fte.shape)
        kindergarten = None
        if key_sectors(p):
            staff = np.asarray(p.owner_kindergarten_fte, dtype=float)
            kindergarten = np.broadcast_to(staff, fte.shape)
        facts = facts_from(
            p.rules,
            geo.owner_region,
            geo.n_regions,
            fte,
            part,
            owner_km,
            None,
            p.sectors,
            kindergarten,
            sector_shares(p),
        )
        cofin = np.asarray(p.owner_cofin_capacity, dtype=float)
        pcap = np.asarray(p.partner_capacity, dtype=float)
        d = Draws(
            budget=np.full(n, float(budget)),
            facts=facts,
            participates=part,
            cofin_capacity=np.broadcast_to(np.where(np.isnan(cofin), np.inf, cofin), fte.shape),
            partner_capacity=np.broadcast_to(
                np.where(np.isnan(pcap), np.inf, pcap), (n, len(pcap))
            ),
            previous=None,
            needs=None,
        )
        col_hi, row_lo, row_hi = lp_bounds(self.rules, self.space, d)
        free = np.isneginf(row_lo[:, ~self.keep]) & np.isposinf(row_hi[:, ~self.keep])
        assert free.all(), "rows left out of the batch LP must be free in every structure"
        row_lo, row_hi = row_lo[:, self.keep], row_hi[:, self.keep]
        cols = np.arange(col_hi.shape[1], dtype=np.int32)
        col_lo = np.zeros(col_hi.shape[1])
        status: list[Status | None] = [None] * n
        v = np.zeros((n, len(cols)))
        todo = np.arange(n)
        runs = 0
        while len(todo):
            if self._basis is not None:
                x, ok = self._basis.solve(col_hi[todo], row_lo[todo], row_hi[todo])
                v[todo[ok]] = x[ok]
                for i in todo[ok].tolist():
                    status[i] = Status.OPTIMAL
                todo = todo[~ok]
                if not len(todo):
                    break
            i, todo = int(todo[0]), todo[1:]
            lp = self._lp
            if lp is None:
                lp = self._lp = HighsLP.of(self.model)
            lp.set_col_bounds(cols, col_lo, col_hi[i])
            lp.set_row_bounds(row_lo[i], row_hi[i])
            status[i] = lp.run()
            runs += 1
            if status[i] is Status.OPTIMAL:
                v[i] = lp.values()
                self._basis = OptimalBasis.of(lp, self._matrix, col_hi[i], row_lo[i], row_hi[i])
        s = self.space
        n_t, n_s = len(p.themes), len(p.sectors)
        own = v[:, : s.n_own].reshape(n, -1, n_t, n_s)  # structures × regions × themes × sectors
        region_own = np.take_along_axis(own, geo.owner_region[:, :, None, None], axis=1)
        owner_amounts = facts.owner_share[:, :, None, :] * region_own * float(budget)
        partner = (v[:, s.y] * float(budget)).reshape(n, -1, n_t * n_s)
        solved = [st if st is not None else Status.ERROR for st in status]
        return BatchSolution(
            solved, owner_amounts.reshape(n, -1, n_t * n_s).sum(axis=2), partner.sum(axis=2), runs
        )


PRIMAL_TOLERANCE = 1e-9
"""Largest bound violation (in budget shares) a solution from a re-used basis may have."""

_BASIC, _LOWER, _UPPER, _ZERO = 0, 1, 2, 3


@dataclass(frozen=True)
class OptimalBasis:
    """An optimal basis of the batch LP, re-used for structures whose bounds differ.

    The batch LP's costs and matrix are the same for every structure, so the basis's reduced
    costs are too: it stays dual feasible for any bounds as long as each nonbasic variable
    stays at the same kind of bound (and fixed variables stay fixed, free ones free). Its
    primal solution for new bounds is one linear solve; where that solution is within the
    bounds (to :data:`PRIMAL_TOLERANCE`), it is optimal, and it is the solution HiGHS reaches
    from this basis with no simplex iteration.
    """

    col_at: np.ndarray
    row_at: np.ndarray
    col_fixed: np.ndarray
    row_fixed: np.ndarray
    matrix: sp.csr_matrix
    nonbasic: sp.csr_matrix
    """The matrix's rows at a bound, nonbasic columns."""
    lu: tuple[np.ndarray, np.ndarray]
    """LU factors of the matrix's rows at a bound, basic columns."""

    @classmethod
    def of(
        cls,
        lp: HighsLP,
        matrix: sp.csr_matrix,
        col_hi: np.ndarray,
        row_lo: np.ndarray,
        row_hi: np.ndarray,
    ) -> OptimalBasis | None:
        """The basis HiGHS ended with, for the bounds it solved; None if it has none."""
        basis = lp.highs.getBasis()
        if not basis.valid:
            return None
        kinds = {
            highspy.HighsBasisStatus.kBasic: _BASIC,
            highspy.HighsBasisStatus.kLower: _LOWER,
            highspy.HighsBasisStatus.kUpper: _UPPER,
            highspy.HighsBasisStatus.kZero: _ZERO,
        }
        try:
            col_at = np.array([kinds[st] for st in basis.col_status])
            row_at = np.array([kinds[st] for st in basis.row_status])
        except KeyError:
            return None
        basic_cols = np.flatnonzero(col_at == _BASIC)
        bound_rows = np.flatnonzero(row_at != _BASIC)
        if len(basic_cols) != len(bound_rows):
            return None
        at_bound = matrix[bound_rows]
        square = at_bound[:, basic_cols].toarray()
        try:
            lu = scipy.linalg.lu_factor(square, check_finite=True)
        except (ValueError, np.linalg.LinAlgError):
            return None
        return cls(
            col_at=col_at,
            row_at=row_at,
            col_fixed=col_hi == 0.0,
            row_fixed=row_lo == row_hi,
            matrix=matrix,
            nonbasic=at_bound[:, np.flatnonzero(col_at != _BASIC)].tocsr(),
            lu=lu,
        )

    def solve(
        self, col_hi: np.ndarray, row_lo: np.ndarray, row_hi: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The basic solution of each structure (rows; columns from 0 to ``col_hi``) and
        whether it is optimal there."""
        a = self.matrix
        col_at, row_at = self.col_at, self.row_at
        n = len(col_hi)
        x = np.zeros((n, a.shape[1]))
        at_upper = col_at == _UPPER
        x[:, at_upper] = col_hi[:, at_upper]
        bound = row_at != _BASIC
        r = np.where(row_at[bound] == _LOWER, row_lo[:, bound], row_hi[:, bound])
        r[:, row_at[bound] == _ZERO] = 0.0
        basic = col_at == _BASIC
        rhs = r.T - self.nonbasic @ x[:, ~basic].T
        with np.errstate(invalid="ignore"):
            x[:, basic] = scipy.linalg.lu_solve(self.lu, rhs, check_finite=False).T
            act = (a @ x.T).T
            ok = np.isfinite(x).all(axis=1) & np.isfinite(act).all(axis=1)
            tol = PRIMAL_TOLERANCE
            ok &= ((x >= -tol) & (x <= col_hi + tol)).all(axis=1)
            ok &= ((act >= row_lo - tol) & (act <= row_hi + tol)).all(axis=1)
        # the reduced costs keep their signs only if no nonbasic variable changes its kind
        ok &= ((col_hi == 0.0) == self.col_fixed)[:, ~basic].all(axis=1)
        ok &= ((row_lo == row_hi) == self.row_fixed)[:, bound].all(axis=1)
        ok &= (np.isfinite(row_lo) | (row_at != _LOWER)).all(axis=1)
        ok &= (np.isfinite(row_hi) | (row_at != _UPPER)).all(axis=1)
        return x, ok

"""The allocation LP written out in PuLP's own expressions: the statement a reader can check.

:func:`pulp_model` states rules R1–R11 and the objective of
:mod:`~dekomopt.allocation.model` from the problem's data, one named constraint per rule row
(``R1_budget``, ``R2_key_<region>``, ``R3_uh_min``, ``R4_cofin_<owner>``, …), with variables
named by what they are (``owners_<region>_<theme>_<sector>``, ``uh_<region>_<partner>_…``).
It does not read the arrays the fast path solves, so solving it with any solver PuLP drives
(CBC, for instance) checks the fast path; ``dekomopt propose --write-lp`` writes it as
``.lp`` or ``.mps``. Units as in the model: every amount is a share of the budget.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pulp

from dekomopt.allocation.keys import key_facts, previous_shares, region_needs, target_mix
from dekomopt.allocation.model import TIE_WEIGHT
from dekomopt.allocation.problem import AllocationProblem


def _id(text: str) -> str:
    """A name LP and MPS files accept: letters, digits and underscores."""
    return re.sub(r"\W", "_", text)


def pulp_model(problem: AllocationProblem) -> pulp.LpProblem:
    """The allocation LP of ``problem`` as a PuLP problem (see the module doc)."""
    rules = problem.rules
    facts = key_facts(problem)
    B = float(problem.budget_nok)
    rids = [_id(r) for r in problem.region_ids]
    themes, sectors = problem.themes, problem.sectors
    cells = [(t, s) for t in themes for s in sectors]
    owner_region = np.asarray(problem.owner_region, dtype=np.int64)
    edge_region = np.asarray(problem.edge_region, dtype=np.int64)
    edge_partner = np.asarray(problem.edge_partner, dtype=np.int64)
    k = facts.key
    u = rules.uh_share_min
    lp = pulp.LpProblem("allocation", pulp.LpMinimize)

    def var(name: str, upper: float | None = None) -> pulp.LpVariable:
        return pulp.LpVariable(_id(name), lowBound=0, upBound=upper)

    # Owners' funds: per region (split by FTE inside it) or per owner.
    by_owner = rules.owner_split == "free"
    owners: dict[tuple[int, str, str], pulp.LpAffineExpression] = {}
    owner_vars: dict[tuple[int, str, str], pulp.LpVariable] = {}
    if by_owner:
        part = np.asarray(problem.owner_participates, dtype=bool)
        for i, oid in enumerate(problem.owner_ids):
            for t, s in cells:
                owner_vars[i, t, s] = var(f"owner_{oid}_{t}_{s}", None if part[i] else 0)
        for r in range(problem.n_regions):
            for t, s in cells:
                members = np.flatnonzero(owner_region == r)
                owners[r, t, s] = pulp.lpSum(owner_vars[i, t, s] for i in members)
    else:
        for r, rid in enumerate(rids):
            for t, s in cells:
                upper = None if facts.region_fte[r] > 0 else 0
                owners[r, t, s] = pulp.LpAffineExpression(var(f"owners_{rid}_{t}_{s}", upper))
    # Partners' funds on each partnership edge (R9: money to partners only on edges).
    partner: dict[tuple[int, str, str], pulp.LpVariable] = {}
    for e, (r, p) in enumerate(zip(edge_region, edge_partner, strict=True)):
        upper = None if facts.region_active[r] else 0
        pid = problem.partner_ids[p]
        for t, s in cells:
            partner[e, t, s] = var(f"uh_{rids[r]}_{pid}_{t}_{s}", upper)

    def partners_of(r: int, t: str | None = None, s: str | None = None) -> pulp.LpAffineExpression:
        return pulp.lpSum(
            v
            for (e, vt, vs), v in partner.items()
            if edge_region[e] == r and t in (None, vt) and s in (None, vs)
        )

    def funds(r: int, t: str | None = None, s: str | None = None) -> pulp.LpAffineExpression:
        own = pulp.lpSum(
            owners[r, ct, cs] for ct, cs in cells if t in (None, ct) and s in (None, cs)
        )
        return own + partners_of(r, t, s)

    region_total = [funds(r) for r in range(problem.n_regions)]
    dev_up = [var(f"above_key_{rid}") for rid in rids]
    dev_down = [var(f"below_key_{rid}") for rid in rids]

    # Objective: key deviation, travel beyond each region's nearest partner, uncovered need,
    # and the tie-breaking deviations.
    objective = pulp.lpSum(dev_up) + pulp.lpSum(dev_down)
    edge_km = np.asarray(problem.edge_km, dtype=float)
    if len(edge_km) and rules.distance_cost:
        nearest = np.full(problem.n_regions, np.inf)
        np.minimum.at(nearest, edge_region, edge_km)
        excess = (edge_km - nearest[edge_region]) / edge_km.max()
        objective += pulp.lpSum(
            rules.distance_cost * excess[e] * v for (e, _, _), v in partner.items() if excess[e]
        )

    lp += pulp.lpSum(region_total) == 1, "R1_budget"
    for r, rid in enumerate(rids):
        lp += region_total[r] - dev_up[r] + dev_down[r] == k[r], f"R2_key_{rid}"
    if rules.key_tolerance is not None:
        for r, rid in enumerate(rids):
            lp += dev_up[r] <= rules.key_tolerance * k[r], f"R2_key_hi_{rid}"
            lp += dev_down[r] <= rules.key_tolerance * k[r], f"R2_key_lo_{rid}"
    if u > 0 and rules.uh_scope == "county":
        lp += pulp.lpSum(partner.values()) >= u, "R3_uh_min"
    elif u > 0:
        for r, rid in enumerate(rids):
            lp += partners_of(r) >= u * region_total[r], f"R3_uh_min_{rid}"
    cap = np.asarray(problem.owner_cofin_capacity, dtype=float)
    c = rules.cofinancing_share
    if c > 0:
        for i, oid in enumerate(problem.owner_ids):
            if not np.isfinite(cap[i]):
                continue
            r = owner_region[i]
            if by_owner:
                own_i = pulp.lpSum(owner_vars[i, t, s] for t, s in cells)
            else:
                own_i = facts.owner_share[i] * pulp.lpSum(owners[r, t, s] for t, s in cells)
            lp += c * B * own_i <= cap[i], f"R4_cofin_{_id(oid)}"
    if rules.special_ed_share_min > 0 and "special_ed" in themes:
        special = pulp.lpSum(funds(r, "special_ed") for r in range(problem.n_regions))
        lp += special >= rules.special_ed_share_min, "R5_special_ed_min"
    if rules.kindergarten_share is not None and "kindergarten" in sectors:
        kindergarten = pulp.lpSum(funds(r, s="kindergarten") for r in range(problem.n_regions))
        lp += kindergarten == rules.kindergarten_share, "R7_kindergarten"
    pcap = np.asarray(problem.partner_capacity, dtype=float)
    for p, pid in enumerate(problem.partner_ids):
        if np.isfinite(pcap[p]):
            taken = pulp.lpSum(v for (e, _, _), v in partner.items() if edge_partner[e] == p)
            lp += B * taken <= pcap[p], f"R9_capacity_{_id(pid)}"
    prev = previous_shares(problem)
    if prev is not None:
        m = rules.stability_max_change
        assert m is not None  # previous_shares is None without it
        for r, rid in enumerate(rids):
            lp += region_total[r] <= (1 + m) * prev[r], f"R10_stability_hi_{rid}"
            lp += region_total[r] >= (1 - m) * prev[r], f"R10_stability_lo_{rid}"
    needs = region_needs(problem)
    if needs is not None:
        for r, rid in enumerate(rids):
            for j, t in enumerate(themes):
                if np.isfinite(needs[r, j]):
                    uncovered = var(f"uncovered_{rid}_{t}")
                    objective += rules.need_cost * uncovered
                    lp += funds(r, t) + uncovered == needs[r, j] / B, f"R11_need_{rid}_{t}"

    # Tie-breaks: each region's partner funds and its funds per theme and sector aimed at
    # the key's share of the mix the rules point at (and, "free", each owner at its FTE part).
    z = target_mix(problem)
    for r, rid in enumerate(rids):
        for j, t in enumerate(themes):
            for q, s in enumerate(sectors):
                target = k[r] * z[j, q]
                for kind, amount, aim in (
                    ("partner", partners_of(r, t, s), u * target),
                    ("mix", funds(r, t, s), target),
                ):
                    above, below = var(f"tb_{kind}_above_{rid}_{t}_{s}"), var(
                        f"tb_{kind}_below_{rid}_{t}_{s}"
                    )
                    objective += TIE_WEIGHT * (above + below)
                    lp += amount - above + below == aim, f"TB_{kind}_{rid}_{t}_{s}"
    if by_owner:
        for i, oid in enumerate(problem.owner_ids):
            r = owner_region[i]
            for j, t in enumerate(themes):
                for q, s in enumerate(sectors):
                    aim = facts.owner_share[i] * (1 - u) * k[r] * z[j, q]
                    above, below = var(f"tb_owner_above_{oid}_{t}_{s}"), var(
                        f"tb_owner_below_{oid}_{t}_{s}"
                    )
                    objective += TIE_WEIGHT * (above + below)
                    lp += owner_vars[i, t, s] - above + below == aim, f"TB_owner_{oid}_{t}_{s}"
    lp += objective
    return lp


def write_model(problem: AllocationProblem, path: Path) -> Path:
    """Write the PuLP statement as ``.lp`` or ``.mps`` (by the file's suffix)."""
    lp = pulp_model(problem)
    suffix = path.suffix.lower()
    if suffix == ".lp":
        lp.writeLP(str(path))
    elif suffix == ".mps":
        lp.writeMPS(str(path))
    else:
        raise ValueError(f"{path}: the model file must end in .lp or .mps, not {suffix!r}")
    return path


def pulp_amounts(problem: AllocationProblem, lp: pulp.LpProblem) -> np.ndarray:
    """Kroner over the amount vector (owners × themes × sectors, then edges) from a solved
    :func:`pulp_model`."""
    values = {v.name: v.varValue or 0.0 for v in lp.variables()}
    facts = key_facts(problem)
    rids = [_id(r) for r in problem.region_ids]
    cells = [(t, s) for t in problem.themes for s in problem.sectors]
    out = []
    for i, oid in enumerate(problem.owner_ids):
        r = rids[problem.owner_region[i]]
        for t, s in cells:
            if problem.rules.owner_split == "free":
                out.append(values.get(_id(f"owner_{oid}_{t}_{s}"), 0.0))
            else:
                out.append(facts.owner_share[i] * values.get(_id(f"owners_{r}_{t}_{s}"), 0.0))
    for r, p in zip(problem.edge_region, problem.edge_partner, strict=True):
        pid = problem.partner_ids[p]
        for t, s in cells:
            out.append(values.get(_id(f"uh_{rids[r]}_{pid}_{t}_{s}"), 0.0))
    return np.asarray(out) * float(problem.budget_nok)

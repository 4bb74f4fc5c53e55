"""Perturbed inputs of Monte Carlo draws, from a scenario's ``[uncertainty]`` table.

One call draws a whole chunk at once from one numpy Generator, so a chunk's inputs depend
only on that Generator (and thus on the run's seed and the chunk's index), never on which
process draws them or in what order chunks run.

Distributions (ε standard normal, U uniform on (0, 1)):

* teacher FTEs, ``fte_distribution``: normal ``fte·max(0, 1 + ε·noise)``; lognormal
  ``fte·exp(ε·noise − noise²/2)`` (mean-preserving); uniform ``fte·(1 + noise·(2U − 1))``.
  Kindergarten staff (the kindergarten part's key when a staff file is given) are not drawn:
  they are the file's in every draw, and a non-participating owner's staff leave the key.
* participation (R8): Bernoulli per owner with ``participation_by_owner[id]`` or
  ``participation``; an owner the scenario already leaves out never takes part.
* state budget: ``total·max(0, 1 + ε·budget_change)`` (normal) or
  ``total·(1 + budget_change·(2U − 1))`` (uniform, budget_change below 1 as the scenario
  check demands), rounded to whole kroner; set-asides (R6) are then taken from the drawn
  total, so shares of it move with it. A draw left with nothing to distribute (a grant of
  0 kr, or set-asides taking it all) is an infeasible draw saying which.
* partner capacities: ``cap·max(0, 1 + ε·partner_capacity_noise)`` for finite caps.
* needs (R11, when ``needs_probability`` is set): each owner reports a need for each theme
  with that probability, of ``needs_nok_per_fte × drawn fte`` kroner; otherwise it reports
  none (NaN), which is what a missing row of ``owners.needs`` means to ``propose``: a region
  and theme in which a taking-part owner reported none is not capped by R11.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.errors import ScenarioError
from dekomopt.scenario import Scenario, set_aside_amounts


@dataclass(frozen=True)
class DrawInputs:
    """The inputs of ``n`` draws; every array has the draws on its first axis."""

    draw_ids: np.ndarray
    """int64, the draws' numbers in the whole run."""
    total_nok: np.ndarray
    """int64, drawn state budget before set-asides."""
    budget_nok: np.ndarray
    """int64, amount to distribute (drawn total minus set-asides)."""
    fte: np.ndarray
    """float, draws × owners."""
    participates: np.ndarray
    """bool, draws × owners."""
    partner_capacity: np.ndarray
    """float, draws × partners (NaN = no cap)."""
    needs: np.ndarray | None
    """float kroner, draws × owners × themes (NaN: not reported), or None when needs are not
    drawn."""

    def __len__(self) -> int:
        return len(self.draw_ids)


def uncertain_inputs(scenario: Scenario) -> list[str]:
    """The ``[uncertainty]`` keys that make draws differ (empty: every draw is the same).
    Capacity noise counts only when some partner has a capacity (``[partners] capacity_nok``)."""
    unc = scenario.spec.uncertainty
    capped = bool(scenario.spec.partners.capacity_nok)
    found = [
        name
        for name, value in (
            ("fte_noise", unc.fte_noise),
            ("budget_change", unc.budget_change),
            ("partner_capacity_noise", unc.partner_capacity_noise if capped else 0.0),
        )
        if value > 0
    ]
    probabilities = [unc.participation, *unc.participation_by_owner.values()]
    if any(0 < p < 1 for p in probabilities):
        found.append("participation")
    if unc.needs_probability is not None and 0 < unc.needs_probability < 1:
        found.append("needs_probability")
    return found


def participation_probabilities(scenario: Scenario, problem: AllocationProblem) -> np.ndarray:
    """Each owner's probability of taking part. An owner of ``participation_by_owner`` that
    is not in ``problem`` is an error, one line each (the county model refuses them as
    ``dekomopt validate`` does; this guards a problem built apart from the scenario)."""
    unc = scenario.spec.uncertainty
    ids = list(problem.owner_ids)
    unknown = [owner for owner in unc.participation_by_owner if owner not in ids]
    if unknown:
        first, *more = (
            (
                f"uncertainty.participation_by_owner.{owner}",
                f"'{owner}' is no owner of this scenario",
            )
            for owner in unknown
        )
        raise ScenarioError(scenario.source, *first, tuple(more))
    p = np.array([unc.participation_by_owner.get(o, unc.participation) for o in ids])
    return np.where(np.asarray(problem.owner_participates, dtype=bool), p, 0.0)


class Perturber:
    """Draws chunks of perturbed inputs around one scenario's base problem."""

    def __init__(self, scenario: Scenario, problem: AllocationProblem) -> None:
        self.scenario = scenario
        self.problem = problem
        self.unc = scenario.spec.uncertainty
        self.p_participate = participation_probabilities(scenario, problem)
        self.base_fte = np.asarray(problem.owner_fte, dtype=float)
        self.base_capacity = np.asarray(problem.partner_capacity, dtype=float)
        self.base_total = int(scenario.spec.budget.total_nok)
        self.n_themes = len(problem.themes)

    def _relative(self, rng: np.random.Generator, shape, noise: float, kind: str) -> np.ndarray:
        if kind == "normal":
            return np.maximum(0.0, 1.0 + noise * rng.standard_normal(shape))
        if kind == "lognormal":
            return np.exp(noise * rng.standard_normal(shape) - noise**2 / 2)
        return 1.0 + noise * (2.0 * rng.random(shape) - 1.0)

    def draw(self, rng: np.random.Generator, draw_ids: np.ndarray) -> DrawInputs:
        """Inputs of the draws ``draw_ids``, consuming ``rng`` in a fixed order."""
        unc = self.unc
        n, n_owners = len(draw_ids), self.problem.n_owners
        fte = self.base_fte * self._relative(
            rng, (n, n_owners), unc.fte_noise, unc.fte_distribution
        )
        participates = rng.random((n, n_owners)) < self.p_participate
        factor = self._relative(rng, n, unc.budget_change, unc.budget_distribution)
        total = np.rint(self.base_total * factor).astype(np.int64)
        budget = np.array(
            [t - sum(a for _, a in set_aside_amounts(self.scenario, int(t))) for t in total],
            dtype=np.int64,
        )
        capacity = self.base_capacity * self._relative(
            rng, (n, len(self.base_capacity)), unc.partner_capacity_noise, "normal"
        )
        needs = None
        if unc.needs_probability is not None:
            reported = rng.random((n, n_owners, self.n_themes)) < unc.needs_probability
            needs = np.where(reported, (unc.needs_nok_per_fte * fte)[:, :, None], np.nan)
        return DrawInputs(
            draw_ids=np.asarray(draw_ids, dtype=np.int64),
            total_nok=total,
            budget_nok=budget,
            fte=fte,
            participates=participates,
            partner_capacity=capacity,
            needs=needs,
        )

"""The Saltelli base sample sizes ``dekomopt sensitivity`` accepts: one rule for the scenario's
``[sensitivity] samples`` and for ``--samples`` (kept free of heavy imports, for the command
line's parser)."""

from __future__ import annotations

SOBOL_SAMPLES = (8, 1 << 16)
"""The smallest and largest Saltelli base sample size: fewer than 8 give indices whose
intervals span the whole range (noise, not indices); each sample costs ``len(vary) + 2`` LP
solves."""


def sobol_samples_problem(n: int) -> str | None:
    """What is wrong with ``n`` as ``[sensitivity] samples`` (the value not repeated), None
    when nothing is: it lies within :data:`SOBOL_SAMPLES` and is a power of 2, as Sobol
    sequences come. ``--samples`` checks the same range and rounds up to a power of 2."""
    low, high = SOBOL_SAMPLES
    if not low <= n <= high:
        return f"must be between {low} and {high} (fewer than {low} give noise, not indices)"
    if n & (n - 1):
        below, above = 1 << (n.bit_length() - 1), 1 << n.bit_length()
        return f"must be a power of 2 (Sobol sequences), e.g. {below} or {above}"
    return None

"""Arbitrary TOML documents: the loader returns a scenario or raises its own error, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dekomopt.errors import ScenarioError
from dekomopt.scenario import load_scenario, parse_scenario

KEYS = st.sampled_from(
    [
        "scenario",
        "budget",
        "structure",
        "owners",
        "partners",
        "rules",
        "metrics",
        "name",
        "county",
        "regime",
        "year",
        "total_nok",
        "regions",
        "eligible",
        "uh_share_min",
        "cofinancing_share",
        "set_asides",
        "share",
        "amount_nok",
        "key_weights",
        "fte",
        "edges",
        "x",
    ]
)
SCALARS = (
    st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.booleans()
    | st.sampled_from(["dekom", "kollektiv-2026", "Rogaland", "1103", "nearest"])
)
DOCS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, DOCS, max_size=7))
def test_any_document_gives_scenario_or_scenario_error(doc):
    try:
        parse_scenario(doc, "fuzz.toml")
    except ScenarioError as exc:
        assert exc.lines()[0].startswith("fuzz.toml")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_file_gives_scenario_or_scenario_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "s.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as exc:
        assert "s.toml" in str(exc)

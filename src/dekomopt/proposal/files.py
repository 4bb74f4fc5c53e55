"""A proposal's files: the tables, rules.json and provenance.json."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from dekomopt.formats import stored, stored_table
from dekomopt.proposal.record import Proposal


def rule_rows(proposal: Proposal) -> list[dict[str, object]]:
    """``rules.json``'s rows: each rule row's fields, then ``explanation`` (the report's English
    words for the row, :func:`~dekomopt.report.rules_text.rule_sentences`), then ``params``."""
    from dekomopt.report.rules_text import partners_of, rule_sentences

    partners = partners_of(proposal)
    rows = []
    for rule in proposal.rules:
        row = {f.name: getattr(rule, f.name) for f in fields(rule) if f.name != "params"}
        row["explanation"] = " ".join(rule_sentences(rule, "en", partners=partners))
        rows.append(row | {"params": rule.params})
    return rows


def budget_record(proposal: Proposal) -> dict[str, object]:
    """``provenance.json``'s account of the grant: the state grant before set-asides, each
    set-aside (R6) by name, and what is distributed (the grant less the set-asides)."""
    return {
        "grant_nok": proposal.budget_total_nok,
        "set_asides": [
            {"name": str(name), "amount_nok": amount} for name, amount in proposal.set_asides
        ],
        "distributed_nok": proposal.budget_nok,
    }


def write_proposal(
    proposal: Proposal, out_dir: str | Path, csv_dialect: str = "plain"
) -> list[Path]:
    """Write the proposal's tables (CSV in ``csv_dialect``) and provenance; return the files.
    ``provenance.json`` says, as every table does on each row, whether the budget and the
    structure are illustrative.
    Numbers are written as :func:`~dekomopt.formats.stored_number` states: kroner whole, no
    floating-point noise, never NaN in JSON."""
    from dekomopt.report.csvfiles import write_table

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "allocation.csv": proposal.allocation,
        "regions.csv": proposal.regions,
        "owners.csv": proposal.owners,
        "partners.csv": proposal.partners,
    }
    written = []
    for name, frame in files.items():
        written.append(write_table(stored_table(frame), out / name, csv_dialect))
    for i, alternative in enumerate(proposal.alternatives, start=1):
        for part, frame in (
            ("regions", alternative.regions),
            ("recipients", alternative.recipients),
        ):
            path = out / f"alternative-{i}-{part}.csv"
            written.append(write_table(stored_table(frame), path, csv_dialect))
    rows = rule_rows(proposal)
    provenance = {
        **proposal.provenance,
        "budget": budget_record(proposal),
        "budget_illustrative": proposal.budget_illustrative,
        "structure_illustrative": proposal.structure_illustrative,
        "caveats": list(proposal.caveats),
    }
    for name, record in (("rules.json", rows), ("provenance.json", provenance)):
        text = json.dumps(stored(record), indent=2, ensure_ascii=False, allow_nan=False)
        (out / name).write_text(text + "\n", encoding="utf-8")
    return [*written, out / "rules.json", out / "provenance.json"]

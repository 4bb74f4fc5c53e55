"""A proposal's files: the tables, rules.json and provenance.json; last year's amounts read back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt.errors import DataError
from dekomopt.formats import stored, stored_table
from dekomopt.proposal.record import Proposal


def read_previous(path: Path, regions: tuple[str, ...]) -> np.ndarray:
    """Last year's amount per region from ``region,amount_nok`` or a previous allocation.csv."""
    try:
        frame = pd.read_csv(path, dtype={"region": str}, encoding="utf-8")
    except FileNotFoundError:
        raise DataError(str(path), "--previous", "file not found") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(str(path), "--previous", f"not a readable UTF-8 CSV ({exc})") from None
    if not {"region", "amount_nok"} <= set(frame.columns):
        raise DataError(str(path), "header", "needs columns region and amount_nok")
    amounts = pd.to_numeric(frame["amount_nok"], errors="coerce")
    if amounts.isna().any() or (amounts < 0).any():
        raise DataError(str(path), "column amount_nok", "every amount must be a number ≥ 0")
    totals = amounts.groupby(frame["region"]).sum()
    unknown = sorted(set(totals.index) - set(regions))
    missing = sorted(set(regions) - set(totals.index))
    if unknown or missing:
        raise DataError(
            str(path),
            "column region",
            f"regions do not match (unknown {unknown}, missing {missing})",
        )
    return totals.reindex(list(regions)).to_numpy(float)


_PER_RECIPIENT = {"recipient_type", "recipient_id", "amount_nok"}


def read_previous_owners(path: Path) -> pd.Series | None:
    """Owner id → last year's kroner from a previous ``allocation.csv``; None when the file
    holds region amounts only (``region,amount_nok``). Read after :func:`read_previous`,
    which names what is wrong with an unreadable file."""
    frame = pd.read_csv(path, dtype={"recipient_id": str}, encoding="utf-8")
    if not set(frame.columns) >= _PER_RECIPIENT:
        return None
    owners = frame[frame["recipient_type"].astype(str) == "owner"]
    amounts = pd.to_numeric(owners["amount_nok"], errors="coerce")
    if amounts.isna().any():
        raise DataError(str(path), "column amount_nok", "every amount must be a number")
    return amounts.groupby(owners["recipient_id"].astype(str)).sum()


def rule_rows(proposal: Proposal) -> list[dict[str, object]]:
    """``rules.json``'s rows: each rule row's fields, then ``explanation`` (the report's English
    words for the row, :func:`~dekomopt.report.rules_text.rule_sentences`), then ``params``."""
    from dekomopt.report.rules_text import rule_sentences
    from dekomopt.report.summary import recipient_names

    names = recipient_names(proposal)
    rows = []
    for rule in proposal.rules:
        row = {k: v for k, v in rule.items() if k != "params"}
        row["explanation"] = " ".join(rule_sentences(rule, "en", names))
        rows.append(row | {"params": rule.get("params") or {}})
    return rows


def write_proposal(
    proposal: Proposal, out_dir: str | Path, csv_dialect: str = "plain"
) -> list[Path]:
    """Write the proposal's tables (CSV in ``csv_dialect``) and provenance; return the files.
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
    provenance = {**proposal.provenance, "caveats": list(proposal.caveats)}
    for name, record in (("rules.json", rows), ("provenance.json", provenance)):
        text = json.dumps(stored(record), indent=2, ensure_ascii=False, allow_nan=False)
        (out / name).write_text(text + "\n", encoding="utf-8")
    return [*written, out / "rules.json", out / "provenance.json"]

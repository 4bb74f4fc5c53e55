"""Last year's allocation per owner, for the owners' change column."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt.errors import DataError
from dekomopt.proposal import Proposal

_PER_RECIPIENT = {"recipient_type", "recipient_id", "amount_nok"}


def owner_previous(path: str | Path) -> pd.Series | None:
    """Owner id → last year's amount from a previous ``allocation.csv``; None when the file
    holds region amounts only (``region,amount_nok``)."""
    try:
        frame = pd.read_csv(path, dtype={"recipient_id": str}, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None  # the proposal reader has already named what is wrong with the file
    if not set(frame.columns) >= _PER_RECIPIENT:
        return None
    owners = frame[frame["recipient_type"].astype(str) == "owner"]
    amounts = pd.to_numeric(owners["amount_nok"], errors="coerce")
    if amounts.isna().any():
        raise DataError(str(path), "column amount_nok", "every amount must be a number")
    return amounts.groupby(owners["recipient_id"].astype(str)).sum()


def with_owner_changes(proposal: Proposal, previous: pd.Series) -> Proposal:
    """``proposal`` with each owner's ``previous_nok`` and ``change_nok`` filled.

    An owner absent last year had 0 kr then.
    """
    owners = proposal.owners.copy()
    ids = owners["owner_id"].astype(str)
    owners["previous_nok"] = ids.map(previous).fillna(0.0).astype(float)
    owners["change_nok"] = owners["amount_nok"].astype(float) - owners["previous_nok"]
    owners["change_nok"] = np.where(owners["change_nok"] == 0, 0.0, owners["change_nok"])
    return replace(proposal, owners=owners)

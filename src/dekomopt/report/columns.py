"""One definition of each table column the report and the workbook show.

A :class:`Column` names its label (catalogue id), how its values are shown (``kind``), how its
total is made, and whether the HTML report shows it (the workbook shows every column). The
``*_table`` functions give the rows as a DataFrame with exactly those columns, texts already
in the reader's language and numbers as numbers, so both outputs show the same values.

Kroner per årsverk is one measure everywhere, the proposal's ``nok_per_fte``: everything that
goes to the region or owner, the partners' share included (a region's partner kroner split
over its taking-part owners by teacher FTE, whole kroner by largest remainder: see
:func:`~dekomopt.proposal.build.partner_parts`), divided by the teacher FTEs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from dekomopt.formats import DASH, format_fte, is_missing
from dekomopt.proposal import Alternative, Proposal
from dekomopt.report.catalogue import has_message, text
from dekomopt.report.notes import in_language
from dekomopt.report.summary import column, flags, owner_label

Kind = Literal["text", "nok", "change", "fte", "share", "cap"]
Total = Literal["none", "sum", "key_sum", "per_fte"]
"""How a column's total is made: none; the sum of every row; the sum over the rows in the key
(the owners that take part, see :func:`in_key`); the table's kroner over that key sum."""


@dataclass(frozen=True)
class Column:
    """A table column: frame key, catalogue label, display kind, total, shown in the HTML."""

    key: str
    label: str
    kind: Kind = "text"
    total: Total = "none"
    html: bool = True


REGION_COLUMNS: tuple[Column, ...] = (
    Column("region", "col_region"),
    Column("teacher_fte", "col_fte", "fte", "sum"),
    Column("key_share", "col_key_share", "share", "sum"),
    Column("amount_nok", "col_amount", "nok", "sum"),
    Column("owners_nok", "col_owners_nok", "nok", "sum"),
    Column("partners_nok", "col_partners_nok", "nok", "sum"),
    Column("nok_per_fte", "col_nok_per_fte_total", "nok", "per_fte"),
    Column("previous_nok", "col_previous", "nok", "sum", html=False),
    Column("change_from_previous_nok", "col_change", "change", "sum"),
)
"""The regions table; ``per_fte`` totals divide ``amount_nok`` by ``teacher_fte``."""

ALTERNATIVE_REGION_COLUMNS: tuple[Column, ...] = (
    Column("region", "col_region"),
    Column("teacher_fte", "col_fte", "fte", "sum", html=False),
    Column("key_share", "col_key_share", "share", "sum", html=False),
    Column("proposal_owners_nok", "col_owners_in_proposal", "nok", "sum"),
    Column("owners_nok", "col_owners_in_alternative", "nok", "sum"),
    Column("proposal_partners_nok", "col_partners_in_proposal", "nok", "sum"),
    Column("partners_nok", "col_partners_in_alternative", "nok", "sum"),
    Column("proposal_nok", "col_proposal", "nok", "sum", html=False),
    Column("amount_nok", "col_amount", "nok", "sum"),
    Column("change_from_proposal_nok", "col_change_from_proposal", "change", "sum"),
    Column("nok_per_fte", "col_nok_per_fte_total", "nok", "per_fte", html=False),
    Column("previous_nok", "col_previous", "nok", "sum", html=False),
    Column("change_from_previous_nok", "col_change", "change", "sum"),
)
"""An alternative's regions: owner and partner kroner beside the proposal's, the region's
amount, its change from the proposal and its change from last year (two quantities, two
columns)."""

RECIPIENT_CHANGE_COLUMNS: tuple[Column, ...] = (
    Column("region", "col_region"),
    Column("recipient_type", "col_recipient_type"),
    Column("recipient_name", "col_recipient"),
    Column("proposal_nok", "col_proposal", "nok", "sum"),
    Column("amount_nok", "col_amount", "nok", "sum"),
    Column("change_from_proposal_nok", "col_change_from_proposal", "change", "sum"),
)
"""The recipients whose kroner an alternative changes."""

OWNER_COLUMNS: tuple[Column, ...] = (
    Column("region", "col_region"),
    Column("owner_id", "col_owner_id"),
    Column("owner_name", "col_owner"),
    Column("owner_kind", "col_kind"),
    Column("teacher_fte", "col_fte", "fte", "key_sum"),
    Column("imputed", "col_imputed", html=False),
    Column("imputation_method", "col_imputation_method", html=False),
    Column("participates", "col_participates", html=False),
    Column("amount_nok", "col_amount", "nok", "sum"),
    Column("partner_part_nok", "col_partner_part_nok", "nok", "sum"),
    Column("total_nok", "col_amount_with_partners", "nok", "sum"),
    Column("nok_per_fte", "col_nok_per_fte_total", "nok", "per_fte"),
    Column("previous_nok", "col_previous", "nok", "sum", html=False),
    Column("change_from_previous_nok", "col_change", "change", "sum"),
    Column("cofinancing_nok", "col_cofinancing", "nok", "sum"),
)
"""The owners table; its FTE total counts the owners that take part (the others' FTEs leave the
key), and its ``per_fte`` total divides ``total_nok`` by that sum, as the regions table does."""

PARTNER_COLUMNS: tuple[Column, ...] = (
    Column("partner_id", "col_partner_id"),
    Column("partner_name", "col_partner"),
    Column("partner_kind", "col_kind"),
    Column("amount_nok", "col_amount", "nok", "sum"),
    Column("capacity_nok", "col_capacity", "cap"),
    Column("regions", "col_serves"),
)
"""The partners table; a missing capacity reads "ingen grense"."""

SECTOR_COLUMNS: tuple[Column, ...] = (
    Column("region", "col_region"),
    Column("school_nok", "col_school_nok", "nok", "sum"),
    Column("kindergarten_nok", "col_kindergarten_nok", "nok", "sum"),
    Column("kindergarten_share", "col_kindergarten_share", "share", "none"),
    Column("kindergarten_change_nok", "col_kindergarten_change", "change", "sum"),
)
"""Each region's kroner by sector (owners and partners together), the kindergarten share of
the region's kroner, and the kindergarten kroner's change from a reference proposal."""

PER_FTE_BASE = {"regions": "amount_nok", "owners": "total_nok"}
"""The amount each table's kroner per årsverk divides by its teacher FTEs."""


def kind_name(kind: object, lang: str) -> str:
    """An owner or partner kind in ``lang``; an unknown kind as it is."""
    message_id = f"kind_{kind}"
    return text(message_id, lang) if has_message(message_id) else str(kind)


def _yes_no(flag: bool, lang: str) -> str:
    return text("yes" if flag else "no", lang)


def in_key(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Whether each row of a table counts in the key: every region, and the owners that take
    part (``participates`` is "no" in ``lang`` for the others)."""
    if "participates" not in frame.columns:
        return pd.Series(True, index=frame.index)
    return frame["participates"] != text("no", lang)


def key_fte_note(proposal: Proposal, lang: str) -> str | None:
    """The sentence saying what the FTE totals count when an owner does not take part: the
    FTEs of the owners that do (as the regions' FTEs and the CLI's kroner per FTE), naming
    the owners left out; None when every owner takes part."""
    owners = sorted_owners(proposal)
    out = ~flags(owners, "participates", True)
    if not out.any():
        return None
    fte = owners["teacher_fte"].astype(float)
    names = [
        owner_label(i, n, proposal, lang)[1]
        for i, n in zip(owners.loc[out, "owner_id"], owners.loc[out, "owner_name"], strict=True)
    ]
    return text(
        "key_fte_note",
        lang,
        fte=format_fte(float(fte[~out].sum())),
        owners=", ".join(names),
        fte_out=format_fte(float(fte[out].sum())),
    )


def region_table(
    proposal: Proposal, lang: str, regions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The regions as :data:`REGION_COLUMNS` (``regions``: an alternative's instead of the
    proposal's, as :data:`ALTERNATIVE_REGION_COLUMNS`)."""
    r = proposal.regions if regions is None else regions
    columns = REGION_COLUMNS if regions is None else ALTERNATIVE_REGION_COLUMNS
    frame = pd.DataFrame(
        {
            "region": r["region"].astype(str),
            "teacher_fte": r["teacher_fte"].astype(float),
            "key_share": r["key_share"].astype(float),
            "amount_nok": r["amount_nok"].astype("int64"),
            "owners_nok": r["owners_nok"].astype("int64"),
            "partners_nok": r["partners_nok"].astype("int64"),
            "nok_per_fte": r["nok_per_fte"].astype(float),
            "previous_nok": column(r, "previous_nok", np.nan).astype(float),
            "change_from_previous_nok": column(r, "change_from_previous_nok", np.nan).astype(float),
        }
    )
    if regions is not None:
        for key in (
            "proposal_nok",
            "proposal_owners_nok",
            "proposal_partners_nok",
            "change_from_proposal_nok",
        ):
            frame[key] = r[key].astype("int64").to_numpy()
    return frame[[c.key for c in columns]].reset_index(drop=True)


def recipient_change_table(alternative: Alternative, proposal: Proposal, lang: str) -> pd.DataFrame:
    """An alternative's changed recipients as :data:`RECIPIENT_CHANGE_COLUMNS`: owners in the
    regions' order, then partners."""
    r = alternative.recipients
    order = {str(region): i for i, region in enumerate(proposal.regions["region"])}
    position = [
        order.get(str(region), len(order)) if kind == "owner" else len(order) + 1
        for region, kind in zip(r["region"], r["recipient_type"], strict=True)
    ]
    r = r.assign(_position=position).sort_values("_position", kind="stable")
    p = proposal.partners
    served = dict(zip(p["partner_id"].astype(str), column(p, "regions", ""), strict=True))
    regions = [
        str(region) if kind == "owner" else str(served.get(str(i), ""))
        for region, kind, i in zip(r["region"], r["recipient_type"], r["recipient_id"], strict=True)
    ]
    labels = [
        owner_label(i, n, proposal, lang) if kind == "owner" else (str(i), str(n))
        for i, n, kind in zip(
            r["recipient_id"], r["recipient_name"], r["recipient_type"], strict=True
        )
    ]
    frame = pd.DataFrame(
        {
            "region": [", ".join(s.strip() for s in v.split(",") if s.strip()) for v in regions],
            "recipient_type": [text(f"recipient_{k}", lang) for k in r["recipient_type"]],
            "recipient_name": [name for _, name in labels],
            "proposal_nok": r["proposal_nok"].astype("int64"),
            "amount_nok": r["amount_nok"].astype("int64"),
            "change_from_proposal_nok": r["change_from_proposal_nok"].astype("int64"),
        }
    )
    return frame[[c.key for c in RECIPIENT_CHANGE_COLUMNS]].reset_index(drop=True)


def sorted_owners(proposal: Proposal) -> pd.DataFrame:
    """The owners in the regions' order (stable within a region)."""
    order = {str(r): i for i, r in enumerate(proposal.regions["region"])}
    position = proposal.owners["region"].astype(str).map(order).fillna(len(order))
    return proposal.owners.assign(_position=position).sort_values("_position", kind="stable")


def imputation_methods(owners: pd.DataFrame, lang: str) -> list[str]:
    """Each owner's imputation method in ``lang`` (the words of ``fte_method``, as owners.csv
    and the report's list of imputed owners give them) where its teacher FTEs were imputed;
    ``–`` for every other owner."""
    imputed = flags(owners, "fte_imputed", False)
    methods = column(owners, "fte_method", "")
    return [
        in_language(m, lang) if i and not is_missing(m) and str(m) else DASH
        for i, m in zip(imputed, methods, strict=True)
    ]


def owner_table(proposal: Proposal, lang: str) -> pd.DataFrame:
    """The owners as :data:`OWNER_COLUMNS`, in the regions' order."""
    owners = sorted_owners(proposal)
    labels = [
        owner_label(i, n, proposal, lang)
        for i, n in zip(owners["owner_id"], owners["owner_name"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "region": owners["region"].astype(str),
            "owner_id": [number for number, _ in labels],
            "owner_name": [name for _, name in labels],
            "owner_kind": [kind_name(k, lang) for k in column(owners, "owner_kind", "")],
            "teacher_fte": owners["teacher_fte"].astype(float),
            "imputed": [_yes_no(f, lang) for f in flags(owners, "fte_imputed", False)],
            "imputation_method": imputation_methods(owners, lang),
            "participates": [_yes_no(f, lang) for f in flags(owners, "participates", True)],
            "amount_nok": owners["amount_nok"].astype("int64"),
            "partner_part_nok": owners["partner_part_nok"].astype("int64"),
            "total_nok": owners["total_nok"].astype("int64"),
            "nok_per_fte": owners["nok_per_fte"].astype(float),
            "previous_nok": column(owners, "previous_nok", np.nan).astype(float),
            "change_from_previous_nok": column(owners, "change_from_previous_nok", np.nan).astype(
                float
            ),
            "cofinancing_nok": column(owners, "cofinancing_nok", np.nan).astype(float),
        },
        index=owners.index,
    )
    return frame[[c.key for c in OWNER_COLUMNS]].reset_index(drop=True)


def partner_table(proposal: Proposal, lang: str) -> pd.DataFrame:
    """The partners as :data:`PARTNER_COLUMNS`."""
    p = proposal.partners
    frame = pd.DataFrame(
        {
            "partner_id": p["partner_id"].astype(str),
            "partner_name": p["partner_name"].astype(str),
            "partner_kind": [kind_name(k, lang) for k in column(p, "partner_kind", "")],
            "amount_nok": p["amount_nok"].astype("int64"),
            "capacity_nok": column(p, "capacity_nok", np.nan).astype(float),
            "regions": [
                ", ".join(s.strip() for s in str(v).split(",") if s.strip())
                for v in column(p, "regions", "")
            ],
        }
    )
    return frame[[c.key for c in PARTNER_COLUMNS]].reset_index(drop=True)


def _kindergarten(proposal: Proposal) -> tuple[pd.Series, pd.Series]:
    a = proposal.allocation
    regions = proposal.regions["region"].astype(str)
    sums = a.groupby([a["region"].astype(str), a["sector"].astype(str)])["amount_nok"].sum()
    by = sums.unstack(fill_value=0).reindex(index=regions, fill_value=0)
    school = by["school"] if "school" in by.columns else pd.Series(0, index=by.index)
    kindergarten = by["kindergarten"] if "kindergarten" in by else pd.Series(0, index=by.index)
    return school.astype("int64"), kindergarten.astype("int64")


def has_sectors(proposal: Proposal) -> bool:
    """Whether any krone of ``proposal`` goes to kindergartens."""
    return bool((proposal.allocation["sector"].astype(str) == "kindergarten").any())


def sector_table(proposal: Proposal, reference: Proposal) -> pd.DataFrame:
    """Each region's kroner by sector as :data:`SECTOR_COLUMNS`; the change is against
    ``reference`` (the scenario's own proposal in the what-if explorer)."""
    school, kindergarten = _kindergarten(proposal)
    _, before = _kindergarten(reference)
    total = school + kindergarten
    frame = pd.DataFrame(
        {
            "region": school.index.astype(str),
            "school_nok": school.to_numpy(),
            "kindergarten_nok": kindergarten.to_numpy(),
            "kindergarten_share": np.where(
                total > 0, kindergarten / total.where(total > 0, 1), np.nan
            ),
            "kindergarten_change_nok": (kindergarten - before.reindex(kindergarten.index))
            .fillna(0)
            .astype("int64")
            .to_numpy(),
        }
    )
    return frame[[c.key for c in SECTOR_COLUMNS]].reset_index(drop=True)

"""The county model: owners, regions, partners and the graph that ties them together.

Nodes of :attr:`County.graph` are tuples ``("owner", id)``, ``("region", id)`` and
``("partner", id)``. Edges carry ``kind``: ``membership`` (owner → region), ``land`` or ``sea``
(owner – owner adjacency), ``partnership`` (region → partner, with ``km``).

Travel distances are great-circle kilometres between a municipality's point (its polygon
centroid, or an interior point where the centroid falls outside the municipality) and the
partner campus's coordinate. A region's distance to a partner is the teacher-FTE-weighted mean
of its municipalities' distances. Owners without a place (the private-school network, the
county) travel the county's FTE-weighted mean distance to the partner. Roads and ferries are
longer than great circles: the figures rank partners by nearness; they are not travel times.
A partner whose place is unknown (no campus municipality or coordinate) has NaN distances:
travel to it is unavailable, never measured to a made-up place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from dekomopt.notes import Note

if TYPE_CHECKING:
    from dekomopt.data.register import Scope
    from dekomopt.scenario.files import InputFile
    from dekomopt.scenario.previous import PreviousAmounts

OWNER_COLUMNS = (
    "owner_id",
    "owner_name",
    "owner_kind",
    "region",
    "teacher_fte",
    "fte_imputed",
    "fte_fallback",
    "fte_method",
    "fte_school_year",
    "fte_source",
    "kindergarten_fte",
    "lat",
    "lon",
    "participates",
)


@dataclass(frozen=True)
class OwnerNeeds:
    """The owners' reported needs (``owners.needs``, R11), read and checked once when the
    county is built: every owner is an owner of the scenario, every theme a known one, and
    each owner × theme pair given at most once. ``path`` is the file as the scenario names
    it; ``need_nok`` maps (owner id, theme) to the need in NOK."""

    path: str
    need_nok: Mapping[tuple[str, str], float]

    def reported(self) -> set[tuple[str, str]]:
        """The (owner id, theme) pairs with a reported need."""
        return set(self.need_nok)

    def array(self, owner_ids: Sequence[str], themes: Sequence[str]) -> np.ndarray:
        """The needs as owners × themes in the given orders, NaN where none was reported."""
        row = {owner: i for i, owner in enumerate(owner_ids)}
        column = {theme: j for j, theme in enumerate(themes)}
        needs = np.full((len(owner_ids), len(themes)), np.nan)
        for (owner, theme), need in self.need_nok.items():
            needs[row[owner], column[theme]] = need
        return needs


@dataclass(frozen=True, eq=False)
class County:
    """One county's (or Statsforvalter office's) owners, regions and partners under one
    scenario. Immutable.

    ``name`` is the county's name or the office's short name; ``number`` the county number,
    None for an office of several counties; ``scope`` says which counties it spans.
    ``warnings`` are the caveats that apply to the figures used (structure findings, the
    teacher-FTE source actually used, imputations and fallbacks), as notes; ``input_files``
    the files the scenario named, as read (path as given, sha256, format, dialect, rows).

    ``owners`` has :data:`OWNER_COLUMNS` (lat/lon NaN for owners without a place;
    ``fte_imputed`` where no figure was observed, ``fte_method`` how it was estimated (a
    note, several joined, or "" when observed); ``fte_fallback`` where the planner's file
    lacked the municipality and the bundled figure was used; ``kindergarten_fte`` NaN without a
    kindergarten file);
    ``partners`` has partner_id, partner_name, partner_kind, lat, lon (NaN: place unknown),
    location (how the place was found), capacity_nok;
    ``edges`` has region, partner_id, km (NaN: the partner's place is unknown); ``adjacency``
    has a, b, kind (land | sea).
    """

    name: str
    number: int | None
    regions: tuple[str, ...]
    owners: pd.DataFrame
    partners: pd.DataFrame
    edges: pd.DataFrame
    adjacency: pd.DataFrame
    warnings: tuple[Note, ...] = ()
    structure_basis: str = ""
    structure_illustrative: bool = False
    scope: Scope | None = None
    input_files: tuple[InputFile, ...] = ()
    previous: PreviousAmounts | None = None
    """Last year's amounts (``budget.previous`` or ``propose --previous``), regions in the
    order of :attr:`regions`; its file is among :attr:`input_files`."""
    needs: OwnerNeeds | None = None
    """The owners' reported needs (``owners.needs``), None without the file; its file is
    among :attr:`input_files`."""
    cofinancing_capacity: Mapping[str, float] | None = None
    """Owner id → what the owner can co-finance in NOK (``owners.cofinancing_capacity``, R4),
    read and checked once; None without the file. Owners not in it have no stated limit."""

    @cached_property
    def graph(self) -> nx.Graph:
        """Membership, adjacency and partnership edges in one graph."""
        g = nx.Graph(county=self.name)
        for row in self.owners.itertuples(index=False):
            g.add_node(
                ("owner", row.owner_id),
                kind="owner",
                name=row.owner_name,
                owner_kind=row.owner_kind,
                teacher_fte=_num(row.teacher_fte),
                participates=bool(row.participates),
            )
        for region in self.regions:
            g.add_node(("region", region), kind="region")
        for row in self.partners.itertuples(index=False):
            g.add_node(("partner", row.partner_id), kind="partner", name=row.partner_name)
        for row in self.owners.itertuples(index=False):
            g.add_edge(("owner", row.owner_id), ("region", row.region), kind="membership")
        for row in self.adjacency.itertuples(index=False):
            g.add_edge(("owner", row.a), ("owner", row.b), kind=row.kind)
        for row in self.edges.itertuples(index=False):
            g.add_edge(
                ("region", row.region), ("partner", row.partner_id), kind="partnership", km=row.km
            )
        return g

    def adjacency_graph(self, kinds: tuple[str, ...] = ("land", "sea")) -> nx.Graph:
        """The municipalities (kommunenummer nodes, ``teacher_fte`` attribute) and their borders."""
        municipal = self.owners[self.owners["owner_kind"] == "municipality"]
        g = nx.Graph()
        for row in municipal.itertuples(index=False):
            g.add_node(row.owner_id, teacher_fte=_num(row.teacher_fte), name=row.owner_name)
        for row in self.adjacency.itertuples(index=False):
            if row.kind in kinds and row.a in g and row.b in g:
                g.add_edge(row.a, row.b, kind=row.kind)
        return g

    def region_members(self) -> dict[str, tuple[str, ...]]:
        """Region → owner ids, in owner order."""
        return {
            r: tuple(self.owners.loc[self.owners["region"] == r, "owner_id"]) for r in self.regions
        }

    def region_fte(self) -> pd.Series:
        """Teacher FTEs of participating owners per region."""
        active = self.owners[self.owners["participates"]]
        return active.groupby("region")["teacher_fte"].sum().reindex(self.regions, fill_value=0.0)

    @property
    def travel_known(self) -> bool:
        """Whether every eligible partner has a place, so travel to partners can be measured
        (else every distance is NaN: unavailable)."""
        return bool(self.partners["lat"].notna().all())

    @property
    def n_imputed(self) -> int:
        return int(self.owners["fte_imputed"].sum())

    @property
    def n_fallback(self) -> int:
        return int(self.owners["fte_fallback"].sum())


def _num(value: Any) -> float:
    """A table cell as a float (pandas types cells loosely)."""
    return float(value)


def owner_partner_km(owners: pd.DataFrame, partners: pd.DataFrame) -> np.ndarray:
    """Great-circle km from each owner to each partner (owners × partners).

    Owners without a place get the FTE-weighted mean over the owners that have one.
    """
    from dekomopt.data import haversine_km

    lat = owners["lat"].to_numpy(float)[:, None]
    lon = owners["lon"].to_numpy(float)[:, None]
    km = haversine_km(lat, lon, partners["lat"].to_numpy(float), partners["lon"].to_numpy(float))
    km = np.asarray(km, dtype=float)
    placed = ~np.isnan(lat[:, 0])
    if (~placed).any():
        w = owners["teacher_fte"].to_numpy(float)[placed]
        mean = (km[placed] * w[:, None]).sum(axis=0) / w.sum()
        km[~placed] = mean
    return km

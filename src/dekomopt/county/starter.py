"""A commented starter scenario for any county or Statsforvalter office (``dekomopt init``).

The starter runs as written: every municipality is listed in a regions table pre-filled with a
suggested balanced contiguous structure (illustrative), the rules carry the values the bundled
sources give and mark the rest as choices to make, the report language follows the register,
and the teacher FTEs are the bundled figures (imputed where none are bundled, each flagged)
until the planner points ``owners.fte_source`` at real figures.

The suggested structure follows one stated rule (``Suggestion``): every region contiguous on
the scope's land borders and sea links, its teacher FTE within ±25 % of a target; a
municipality too large for that band (Oslo, Bergen, Trondheim, Tromsø…) is not split but is the
core of a region of its own, and the target is what the other regions share. It is found by
recursive bisection of spanning trees and improved by single moves and merge-and-split, with
compactness as the tie-break; a region the search cannot bring inside the band is named in
``init``'s output. It is a starting point, not a recommendation.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from dekomopt import data

SOURCE_RULES = {
    "Vestland": (0.5, 'Vestland: "50% av midlane i ordninga skal gå til UH" (source 001)'),
    "Nordland": (0.6, 'Nordland: "40% til nettverkene og 60% til UH" (source 003)'),
}
"""UH minimum shares a bundled source states, by office (regulation_notes.md)."""


UNNAMED_PARTNER = {
    "nb": "UH-partner (ikke navngitt ennå)",
    "nn": "UH-partnar (ikkje namngjeven enno)",
    "en": "UH partner (not named yet)",
}
"""The starter's partner name where no campus is bundled, in each language."""


@dataclass(frozen=True)
class Starter:
    """What ``init`` writes: the scenario text, the regions table and what they cover."""

    toml: str
    regions: pd.DataFrame
    scope: data.Scope
    language: str
    suggestion: Suggestion
    region_names: tuple[str, ...]
    """The suggested regions' names, by region index."""

    def structure_lines(self) -> list[str]:
        """What the suggested structure is and the rule it follows, one line each."""
        return describe(self.suggestion, self.region_names, self.scope)


def _fte(scope: data.Scope) -> pd.DataFrame:
    tables = [data.teacher_fte(c, exclude_private=True).table for c, _ in scope.counties]
    return pd.concat(tables, ignore_index=True).set_index("kommunenummer")


BAND = 0.25
"""A suggested region's teacher FTE lies within ±25 % of the target (see ``Suggestion``)."""

SEARCH_ROUNDS = 60
"""At most this many rounds of single moves and merge-and-split over all neighbouring
region pairs (a round that changes nothing ends the search)."""

TREES_PER_PAIR = 8
"""Random spanning trees tried per neighbouring pair and round."""

STARTS = 8
"""Starting structures searched from (the best result is kept)."""

COMPACTNESS = 0.05
"""Weight of a region's spread in the search's cost (balance first, then compactness)."""


@dataclass(frozen=True)
class Suggestion:
    """A suggested structure and the rule it follows.

    ``labels`` maps kommunenummer → region index 0..k-1 (largest region first). The rule: every
    region is contiguous on the land and sea links and its teacher FTE lies within ``band``
    (±25 %) of ``target_fte``; a municipality with more teacher FTE than the band's top
    (``alone``) cannot be split, so it is the core of a region of its own, and ``target_fte``
    is what is left over the regions left: (total − their FTE) / (k − their number).
    ``outside`` lists the regions the search could not bring inside the band (geography, or
    too many regions for the municipalities).
    """

    labels: dict[str, int]
    region_fte: tuple[float, ...]
    target_fte: float
    band: float
    alone: tuple[str, ...]
    alone_fte: tuple[float, ...]

    def fte_of(self, code: str) -> float:
        """The teacher FTE of a municipality of ``alone``."""
        return self.alone_fte[self.alone.index(code)]

    @property
    def low(self) -> float:
        return self.target_fte * (1 - self.band)

    @property
    def high(self) -> float:
        return self.target_fte * (1 + self.band)

    @property
    def outside(self) -> tuple[int, ...]:
        """Regions (indices) without a municipality of ``alone`` whose FTE is off the band."""
        cores = {self.labels[code] for code in self.alone}
        return tuple(
            r
            for r, w in enumerate(self.region_fte)
            if r not in cores and not self.low <= w <= self.high
        )


def describe(suggestion: Suggestion, names: tuple[str, ...], scope: data.Scope) -> list[str]:
    """The rule of ``suggestion`` and how its regions meet it, one line each (``init`` prints
    them and writes them into the starter as comments)."""
    s = suggestion
    k = len(s.region_fte)
    if k == 1:
        return [f"suggested structure: one region ({s.region_fte[0]:.1f} teacher FTE)"]
    register = data.load_municipalities(scope).set_index("kommunenummer")["name"]
    lines = [
        f"suggested structure: {k} regions, each contiguous on land borders and sea links, "
        f"balanced on teacher FTE: each within ±{s.band * 100:.0f} % of the target "
        f"{s.target_fte:.1f} ({s.low:.1f}–{s.high:.1f}); a municipality above that band is "
        "not split but is the core of a region of its own, and the target is what the other "
        "regions share"
    ]
    cores = {s.labels[code]: code for code in s.alone}
    for r, code in sorted(cores.items()):
        fte = s.fte_of(code)
        lines.append(
            f"  {names[r]}: {s.region_fte[r]:.1f} FTE, around {register[code]} "
            f"({fte:.1f} FTE, above the band)"
        )
    others = [w for r, w in enumerate(s.region_fte) if r not in cores]
    lines.append(
        f"  {'the other ' if cores else ''}{len(others)} regions: "
        f"{min(others):.1f}–{max(others):.1f} FTE "
        f"(smallest/largest {min(others) / max(others):.2f})"
    )
    for r in s.outside:
        lines.append(
            f"  {names[r]}: {s.region_fte[r]:.1f} FTE, outside the band: the search found no "
            "contiguous structure of this many regions with it inside (check the links of its "
            "municipalities, or give another --regions)"
        )
    return lines


def _graph(scope: data.Scope) -> nx.Graph:
    """The scope's municipalities linked by land borders and sea links, weighted in km."""
    register = data.load_municipalities(scope).set_index("kommunenummer")
    adjacency = data.load_adjacency(scope)
    graph = nx.Graph()
    graph.add_nodes_from(register.index)
    lat = dict(zip(register.index.tolist(), register["point_lat"].tolist(), strict=True))
    lon = dict(zip(register.index.tolist(), register["point_lon"].tolist(), strict=True))
    for a, b in zip(adjacency["a"].tolist(), adjacency["b"].tolist(), strict=True):
        km = float(data.haversine_km(lat[a], lon[a], lat[b], lon[b]))
        graph.add_edge(a, b, weight=km)
    return graph


def _km_plane(scope: data.Scope) -> dict[str, tuple[float, float]]:
    """Each municipality's point in km east and north of the scope's mean point
    (equirectangular; close enough for comparing spreads within one scope)."""
    register = data.load_municipalities(scope)
    lat0 = math.radians(float(register["point_lat"].mean()))
    lon0 = float(register["point_lon"].mean())
    lat1 = float(register["point_lat"].mean())
    km = 6371.0 * math.pi / 180.0
    return {
        code: ((lon - lon0) * km * math.cos(lat0), (lat - lat1) * km)
        for code, lat, lon in register[["kommunenummer", "point_lat", "point_lon"]].values
    }


def _alone(fte: dict[str, float], k: int) -> tuple[tuple[str, ...], float]:
    """The municipalities too large for one balanced region, and the target for the rest.

    The largest municipality stands alone while its FTE exceeds the band's top over the
    target of those not yet standing alone."""
    alone: list[str] = []
    rest = sorted(fte, key=lambda c: (-fte[c], c))
    total = sum(fte.values())
    while k - len(alone) > 1 and rest:
        target = total / (k - len(alone))
        if fte[rest[0]] <= target * (1 + BAND):
            break
        total -= fte[rest[0]]
        alone.append(rest.pop(0))
    return tuple(alone), total / max(1, k - len(alone))


class _Cost:
    """A region's distance from the rule, from its member sums (``sums``): the squared relative
    deviation of its FTE from the target (a region around an ``alone`` municipality counted by
    what it holds beyond it), a hundred times the square of anything outside the band, and
    ``COMPACTNESS`` times its members' spread (squared km from their centre, as a share of the
    whole scope's), so that among balanced structures the compact ones win."""

    def __init__(
        self,
        fte: dict[str, float],
        alone: tuple[str, ...],
        target: float,
        place: dict[str, tuple[float, float]],
    ) -> None:
        self.fte = fte
        self.alone = set(alone)
        self.target = target
        self.place = place
        whole = self.sums(set(fte))
        self.spread_scale = max(whole[6] - (whole[4] ** 2 + whole[5] ** 2) / whole[3], 1.0)

    def node(self, code: str) -> list[float]:
        """One municipality's sums: FTE, cores, core FTE, count, x, y, x² + y² (km)."""
        x, y = self.place[code]
        core = code in self.alone
        fte = self.fte[code]
        return [fte, float(core), fte if core else 0.0, 1.0, x, y, x * x + y * y]

    def sums(self, part: set[str]) -> list[float]:
        return [sum(column) for column in zip(*(self.node(c) for c in part), strict=True)]

    def of(self, s: list[float]) -> float:
        weight, cores, core_weight, count, x, y, squares = s
        spread = COMPACTNESS * (squares - (x * x + y * y) / count) / self.spread_scale
        if cores > 1:
            return 1e6 * cores
        if cores == 1:
            off = (weight - core_weight) / self.target
            return off * off * (1 + 100 * (off > BAND)) + spread
        off = abs(weight - self.target) / self.target
        return off * off + 100 * max(0.0, off - BAND) ** 2 + spread

    def part(self, part: set[str]) -> float:
        return self.of(self.sums(part))


def _random_tree(graph: nx.Graph, nodes: set[str], rng: random.Random) -> dict[str, list[str]]:
    """A random spanning tree of ``graph`` on ``nodes`` (Kruskal on shuffled edges)."""
    edges = sorted((a, b) if a < b else (b, a) for a, b in graph.subgraph(nodes).edges)
    rng.shuffle(edges)
    root = {n: n for n in nodes}

    def find(n: str) -> str:
        while root[n] != n:
            root[n] = root[root[n]]
            n = root[n]
        return n

    tree: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            root[ra] = rb
            tree[a].append(b)
            tree[b].append(a)
    return tree


def _best_cut(tree: dict[str, list[str]], cost: _Cost) -> tuple[float, set[str], set[str]] | None:
    """The tree edge whose two sides cost least together, as (cost, side, other side)."""
    start = min(tree)
    order: list[str] = []
    parent = {start: ""}
    stack = [start]
    while stack:
        node = stack.pop()
        order.append(node)
        for n in sorted(tree[node]):
            if n not in parent:
                parent[n] = node
                stack.append(n)
    if len(order) < len(tree):
        return None
    sums = {n: cost.node(n) for n in order}
    for n in reversed(order[1:]):
        sums[parent[n]] = [a + b for a, b in zip(sums[parent[n]], sums[n], strict=True)]
    total = sums[start]
    best: tuple[float, str] | None = None
    for n in order[1:]:
        rest = [a - b for a, b in zip(total, sums[n], strict=True)]
        value = cost.of(sums[n]) + cost.of(rest)
        if best is None or value < best[0] - 1e-12:
            best = (value, n)
    if best is None:
        return None
    side: set[str] = set()
    stack = [best[1]]
    while stack:
        node = stack.pop()
        side.add(node)
        stack += [n for n in tree[node] if parent.get(n) == node]
    return best[0], side, set(tree) - side


def _moves(graph: nx.Graph, parts: list[set[str]], cost: _Cost) -> bool:
    """Move single border municipalities to a neighbouring region while that lowers the cost
    and leaves the region they leave contiguous; whether anything moved."""
    moved = False
    while True:
        of = {code: i for i, p in enumerate(parts) for code in p}
        best: tuple[float, str, int] | None = None
        for code in sorted(of):
            i = of[code]
            if len(parts[i]) == 1:
                continue
            for j in sorted({of[n] for n in graph.neighbors(code)} - {i}):
                gain = (
                    cost.part(parts[i]) + cost.part(parts[j])
                    - cost.part(parts[i] - {code}) - cost.part(parts[j] | {code})
                )  # fmt: skip
                better = gain > 1e-12 and (best is None or gain > best[0])
                if better and nx.is_connected(graph.subgraph(parts[i] - {code})):
                    best = (gain, code, j)
        if best is None:
            return moved
        _, code, j = best
        parts[of[code]].discard(code)
        parts[j].add(code)
        moved = True


def _merge_split(graph: nx.Graph, parts: list[set[str]], cost: _Cost) -> bool:
    """Merge two neighbouring regions and cut them again along the best edge of a random
    spanning tree whenever that lowers their cost; whether anything changed."""
    rng = random.Random(len(parts))
    changed = False
    of = {code: i for i, p in enumerate(parts) for code in p}
    pairs = sorted({tuple(sorted((of[a], of[b]))) for a, b in graph.edges if of[a] != of[b]})
    for i, j in pairs:
        merged = parts[i] | parts[j]
        now = cost.part(parts[i]) + cost.part(parts[j])
        for _ in range(TREES_PER_PAIR):
            cut = _best_cut(_random_tree(graph, merged, rng), cost)
            if cut is not None and cut[0] < now - 1e-12:
                now, parts[i], parts[j] = cut
                changed = True
    return changed


def _search(graph: nx.Graph, parts: list[set[str]], cost: _Cost) -> list[set[str]]:
    """Single moves and merge-and-split in turn until a round of both changes nothing (at
    most ``SEARCH_ROUNDS``); the same random draws every run, so the result is reproducible."""
    parts = [set(p) for p in parts]
    for _ in range(SEARCH_ROUNDS):
        moved = _moves(graph, parts, cost)
        if not _merge_split(graph, parts, cost) and not moved:
            break
    return parts


def suggest_regions(scope: data.Scope, k: int) -> Suggestion:
    """A balanced contiguous structure of ``k`` regions (the rule: see ``Suggestion``).

    It starts from recursive bisections of the shortest-link spanning tree and of
    ``STARTS`` − 1 random spanning trees, improves each by single moves and merge-and-split,
    and keeps the one nearest the rule; each region stays contiguous on the scope's land and
    sea links. Random draws come from fixed seeds, so the suggestion is reproducible."""
    fte = _fte(scope)["teacher_fte"]
    weights = {str(c): float(w) for c, w in fte.items()}
    graph = _graph(scope)
    k = max(1, min(k, graph.number_of_nodes()))
    alone, target = _alone(weights, k)
    cost = _Cost(weights, alone, target, _km_plane(scope))
    parts: list[tuple[set[str], int]] = []
    components = [set(c) for c in nx.connected_components(graph)]
    total = float(fte.sum())
    budget = k
    for i, comp in enumerate(sorted(components, key=lambda c: -float(fte[list(c)].sum()))):
        share = float(fte[list(comp)].sum()) / total
        n = budget if i == len(components) - 1 else max(1, min(budget - 1, round(share * k)))
        budget -= n
        parts.append((comp, max(n, 1)))
    out: list[set[str]] = []
    for comp, n in parts:
        sub = graph.subgraph(comp)
        starts = [_bisect(sub, fte, n)] + [
            _bisect(sub, fte, n, random.Random(seed)) for seed in range(1, STARTS)
        ]
        found = [_search(graph, start, cost) for start in starts]
        out += min(found, key=lambda p: sum(cost.part(part) for part in p))
    out.sort(key=lambda p: (-sum(weights[c] for c in p), min(p)))
    labels = {code: index for index, part in enumerate(out) for code in part}
    region_fte = tuple(sum(weights[c] for c in part) for part in out)
    alone_fte = tuple(weights[c] for c in alone)
    return Suggestion(labels, region_fte, target, BAND, alone, alone_fte)


def _bisect(
    graph: nx.Graph, fte: pd.Series, k: int, rng: random.Random | None = None
) -> list[set[str]]:
    """``k`` contiguous parts by recursive bisection of a spanning tree, each cut the edge
    that best balances FTE per part: the shortest-link tree, or a random one with ``rng``."""
    nodes = set(graph.nodes)
    if k <= 1 or len(nodes) <= 1:
        return [nodes]
    k = min(k, len(nodes))
    if rng is None:
        tree = nx.minimum_spanning_tree(graph, weight="weight")
    else:
        tree = nx.Graph(_random_tree(graph, nodes, rng))
    root = min(nodes)
    total = float(fte[list(nodes)].sum())
    target = total / k
    best: tuple[float, set[str], int] | None = None
    for parent, child in sorted(nx.dfs_edges(tree, root)):
        side = set(nx.dfs_preorder_nodes(tree.subgraph(nodes - {parent}), child))
        w = float(fte[list(side)].sum())
        k1 = max(1, min(k - 1, round(w / target)))
        if k1 > len(side) or k - k1 > len(nodes) - len(side):
            continue
        score = max(abs(w / k1 - target), abs((total - w) / (k - k1) - target))
        if best is None or score < best[0]:
            best = (score, side, k1)
    if best is None:
        return [nodes]
    _, side, k1 = best
    return _bisect(graph.subgraph(side), fte, k1, rng) + _bisect(
        graph.subgraph(nodes - side), fte, k - k1, rng
    )


def codes_of(county: str) -> frozenset[str]:
    """The municipality codes of one county."""
    return data.county_codes(data.resolve_scope(county, kind="county"))


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _local_toml(texts: dict[str, str]) -> str:
    """A free text per language as an inline TOML table ``{ nb = "…", nn = "…", en = "…" }``."""
    return (
        "{ " + ", ".join(f"{lang} = {_toml_str(texts[lang])}" for lang in ("nb", "nn", "en")) + " }"
    )


def default_region_count(scope: data.Scope) -> int:
    """About five municipalities per region, between 2 and 12 (a starting point)."""
    n = len(data.load_municipalities(scope))
    return max(1, min(12, max(2, round(n / 5)))) if n > 1 else 1


def starter(
    scope: data.Scope, regions_csv: str, *, year: int, regime: str, k: int | None = None
) -> Starter:
    """The starter scenario text and its regions table for ``scope``."""
    register = data.load_municipalities(scope)
    k = k or default_region_count(scope)
    suggestion = suggest_regions(scope, k)
    labels = suggestion.labels
    names: dict[int, str] = {}
    for index in sorted(set(labels.values())):
        members = register[register["kommunenummer"].map(labels) == index]
        largest = members.sort_values("population", ascending=False).iloc[0]
        names[index] = f"Region {largest['name']}"
    region_names = tuple(names[index] for index in sorted(names))
    table = pd.DataFrame(
        {
            "kommunenummer": register["kommunenummer"],
            "region": register["kommunenummer"].map(labels).map(names),
            "name": register["name"],
        }
    ).sort_values(["region", "kommunenummer"])
    language = data.report_language(scope)
    campuses = data.load_campuses()
    codes = set(register["kommunenummer"])
    local = campuses[campuses["kommunenummer"].isin(codes)]
    uh = SOURCE_RULES.get(scope.name)
    key = "county" if scope.kind == "county" else "office"
    lines = [
        f"# Starter scenario for {scope.label}, written by `dekomopt init`.",
        "# It runs as written; replace every ILLUSTRATIVE value and every CHOICE with yours.",
        f"# Municipalities ({len(register)}): "
        + ", ".join(f"{c} {n}" for c, n in register[["kommunenummer", "name"]].values),
        "",
        "[scenario]",
        "name = "
        + _local_toml(
            {
                "nb": f"{scope.name} {year} (utgangspunkt)",
                "nn": f"{scope.name} {year} (utgangspunkt)",
                "en": f"{scope.name} {year} (starter)",
            }
        ),
        f"{key} = {_toml_str(scope.name)}",
        f'regime = "{regime}"',
        f"year = {year}",
        "seed = 1",
        f"# report language from the register's written language: {language}",
        "description = "
        + _local_toml(
            {
                "nb": f"Utgangspunkt for {scope.label} (dekomopt init).",
                "nn": f"Utgangspunkt for {scope.label} (dekomopt init).",
                "en": f"Starter for {scope.label} (dekomopt init).",
            }
        ),
        "assumptions = [",
    ]
    n = len(names)
    band = f"{round(suggestion.band * 100)} %"
    what = (
        {"nb": "én region", "nn": "éin region", "en": "one region"}
        if n == 1
        else {
            "nb": f"{n} sammenhengende regioner med lærerårsverk innenfor ±{band} av målet",
            "nn": f"{n} samanhengande regionar med lærarårsverk innanfor ±{band} av målet",
            "en": f"{n} contiguous regions with teacher FTEs within ±{band} of the target",
        }
    )
    it = (
        {"nb": "den", "nn": "han", "en": "it"}
        if n == 1
        else {"nb": "dem", "nn": "dei", "en": "them"}
    )
    assumptions = [
        {
            "nb": f"Regioninndelingen er ILLUSTRERENDE: {what['nb']} foreslått av dekomopt init; "
            f"erstatt {it['nb']} med de faktiske kompetanseregionene i {regions_csv}.",
            "nn": f"Regioninndelinga er ILLUSTRERANDE: {what['nn']} føreslått av dekomopt init; "
            f"byt {it['nn']} ut med dei faktiske kompetanseregionane i {regions_csv}.",
            "en": f"Structure is ILLUSTRATIVE: {what['en']} suggested by dekomopt init; "
            f"replace {it['en']} with the real competence regions in {regions_csv}.",
        },
        {
            "nb": "Budsjettet er ILLUSTRERENDE: det er ikke funnet noe publisert beløp for "
            "embetet.",
            "nn": "Budsjettet er ILLUSTRERANDE: det er ikkje funne noko publisert beløp for "
            "embetet.",
            "en": "Budget is ILLUSTRATIVE: no published amount for this office was found.",
        },
    ]
    if local.empty:
        assumptions.append(
            {
                "nb": "Partner: IKKE NAVNGITT ENNÅ og stedet ukjent, så reiseavstanden til "
                "partnerne er ukjent; oppgi universitetet eller høgskolen og kommunen "
                "studiestedet ligger i, under [partners].",
                "nn": "Partnar: IKKJE NAMNGJEVEN ENNO og staden ukjend, så reiseavstanden til "
                "partnarane er ukjend; oppgi universitetet eller høgskulen og kommunen "
                "studiestaden ligg i, under [partners].",
                "en": "Partner: NOT NAMED YET and its place unknown, so travel to partners is "
                "unavailable; name your university or university college partner and its "
                "campus municipality in [partners].",
            }
        )
    else:
        campus_ids = ", ".join(local["partner_id"])
        assumptions.append(
            {
                "nb": "Partnerne er ILLUSTRERENDE: de medfølgende studiestedene i området "
                f"({campus_ids}), hver region knyttet til nærmeste av dem, valgt av dekomopt "
                "init; oppgi fylkets faktiske partnere og partnerskap under [partners].",
                "nn": "Partnarane er ILLUSTRERANDE: dei medfølgjande studiestadene i området "
                f"({campus_ids}), kvar region knytt til den næraste av dei, valde av dekomopt "
                "init; oppgi dei faktiske partnarane og partnarskapa i fylket under [partners].",
                "en": "Partners are ILLUSTRATIVE: the bundled campuses in the area "
                f"({campus_ids}), each region linked to the nearest, chosen by dekomopt init; "
                "name the county's actual partners and partnerships in [partners].",
            }
        )
    bare = [c for c, _ in scope.counties if not set(codes_of(c)) & set(local["kommunenummer"])]
    if not local.empty and bare:
        counties = ", ".join(bare)
        assumptions.append(
            {
                "nb": f"Partnere: bare studiestedene som følger med er oppført; {counties} har "
                "ingen slike, så legg til egne partnere der (med kommunenummer for studiestedet).",
                "nn": f"Partnarar: berre studiestadene som følgjer med er oppførte; {counties} "
                "har ingen slike, så legg til eigne partnarar der (med kommunenummer for "
                "studiestaden).",
                "en": f"Partners: only the bundled campuses are listed; {counties} has none, so "
                "add your own partners there (with the campus kommunenummer).",
            }
        )
    for texts in assumptions:
        lines.append(f"  {_local_toml(texts)},")
    lines += [
        "]",
        "",
        "[budget]",
        "total_nok = 10_000_000  # ILLUSTRATIVE: put the office's grant here",
        "illustrative = true",
        'source = "illustrative"',
        "",
        "[structure]",
        f"csv = {_toml_str(regions_csv)}  # kommunenummer,region[,name]; CSV or .xlsx#sheet",
        "illustrative = true",
        'basis = "illustrative: balanced contiguous regions suggested by dekomopt init"',
        *(f"# {line}" for line in describe(suggestion, region_names, scope)),
        "",
        "[owners]",
        '# fte_source = "laerere.csv"  # your figures: CSV (either dialect), .xlsx, or a Udir',
        "#                              # statistikkportalen export (Antall lærerårsverk)",
        '# fte_missing = "bundled"     # municipalities missing from your file: bundled, flagged',
        "# Without fte_source the bundled figures are used; every run's caveats say how",
        "# many of them are imputed.",
        "exclude_private = true",
    ]
    if regime == "kollektiv-2026":
        lines.append(
            '# kindergarten_fte = "barnehage.csv"  # kommunenummer,kindergarten_fte (årsverk)'
        )
    lines += ["", "[partners]"]
    if local.empty:
        lines += [
            f"# No university or university college campus is bundled for {scope.label}.",
            "# Name your partner(s): an id (listed in eligible), the name, and the municipality",
            "# of the campus (kommunenummer), from which travel to the partner is measured.",
            "# Until a campus municipality is given, travel to partners is reported as",
            "# unavailable in every output (never measured to a made-up place).",
            "# Several partners: one [[partners.extra]] table each, or a table file",
            '# (id,name,kind,kommunenummer,source; CSV or .xlsx): extra_csv = "partnere.csv".',
            'eligible = ["UH-partner"]',
            "",
            "[[partners.extra]]",
            'id = "UH-partner"',
            f"name = {_local_toml(UNNAMED_PARTNER)}",
            'kind = "uh"  # uh, fagskole or other',
            '# kommunenummer = "NNNN"  # the campus municipality (2024 kommunenummer)',
            'source = "not named yet (dekomopt init)"',
        ]
    else:
        ids = ", ".join(_toml_str(p) for p in local["partner_id"])
        lines += [
            "# The bundled campuses in the scope. Other partners (campuses not bundled) are",
            "# yours to add: one [[partners.extra]] each with id, name, kind and the campus",
            '# municipality (kommunenummer = "NNNN"), listed in eligible.',
            f"eligible = [{ids}]",
            'edges = "nearest"',
        ]
    lines += ["", "[rules]"]
    if uh is not None:
        lines.append(f"uh_share_min = {uh[0]}  # source: {uh[1]}")
    else:
        lines.append("uh_share_min = 0.5  # CHOICE: no minimum UH share for this office was found")
    if regime == "dekom":
        lines.append(
            "cofinancing_share = 0.3  # source: egenandel 30 % (Statsforvalteren i Oslo og "
            "Viken 2022; regulation_notes.md)"
        )
    else:
        lines += [
            "cofinancing_share = 0.0  # CHOICE: no percentage for the 2026 egeninnsats was found",
            "kindergarten_share = 0.3  # CHOICE: the kindergarten part of the 2026 scheme",
        ]
    lines.append("special_ed_share_min = 0.0  # CHOICE")
    if local.empty:
        lines += [
            "",
            "[sensitivity]",
            "# The travel parameters (key_weight_distance, distance_cost,",
            "# travel_cost_nok_per_km_fte) need the partner's place: add them to vary once the",
            "# campus kommunenummer is given.",
            'vary = ["uh_share_min", "special_ed_share_min", "key_tolerance"]',
        ]
    return Starter("\n".join(lines) + "\n", table, scope, language, suggestion, region_names)


def regions_path(out: Path) -> Path:
    """The regions table ``init`` writes beside the scenario ``out``: ``<out stem>-regions.csv``."""
    return out.with_name(f"{out.stem}-regions.csv")


def write_starter(
    scope: data.Scope, out: Path, *, year: int, regime: str, k: int | None = None
) -> Starter:
    """Write ``out`` (TOML) and ``<out stem>-regions.csv`` beside it (replacing files of
    those names); return what was written."""
    regions_path = out.with_name(f"{out.stem}-regions.csv")
    result = starter(scope, regions_path.name, year=year, regime=regime, k=k)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.toml, encoding="utf-8")
    result.regions.to_csv(regions_path, index=False, lineterminator="\n")
    return result

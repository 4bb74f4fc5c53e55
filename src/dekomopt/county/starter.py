"""A commented starter scenario for any county or Statsforvalter office (``dekomopt init``).

The starter runs as written: every municipality is listed in a regions table pre-filled with a
suggested balanced contiguous structure (illustrative), the rules carry the values the bundled
sources give and mark the rest as choices to make, the report language follows the register,
and the teacher FTEs are the bundled figures (imputed where none are bundled, each flagged)
until the planner points ``owners.fte_source`` at real figures.

The suggested structure is a recursive bisection of a spanning tree of the scope's adjacency
graph (land borders and geometric sea links; shortest great-circle links first): each cut is
the tree edge that best balances teacher FTEs between the two sides for the number of regions
each side gets. Every region is therefore contiguous on that graph. It is a starting point,
not a recommendation.
"""

from __future__ import annotations

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


def _fte(scope: data.Scope) -> pd.DataFrame:
    tables = [data.teacher_fte(c, exclude_private=True).table for c, _ in scope.counties]
    return pd.concat(tables, ignore_index=True).set_index("kommunenummer")


def suggest_regions(scope: data.Scope, k: int) -> dict[str, int]:
    """kommunenummer → region index 0..k-1: balanced, contiguous (see the module text)."""
    register = data.load_municipalities(scope).set_index("kommunenummer")
    fte = _fte(scope)["teacher_fte"]
    adjacency = data.load_adjacency(scope)
    graph = nx.Graph()
    graph.add_nodes_from(register.index)
    lat = dict(zip(register.index.tolist(), register["point_lat"].tolist(), strict=True))
    lon = dict(zip(register.index.tolist(), register["point_lon"].tolist(), strict=True))
    for a, b in zip(adjacency["a"].tolist(), adjacency["b"].tolist(), strict=True):
        km = float(data.haversine_km(lat[a], lon[a], lat[b], lon[b]))
        graph.add_edge(a, b, weight=km)
    k = max(1, min(k, graph.number_of_nodes()))
    parts: list[tuple[set[str], int]] = []
    components = [set(c) for c in nx.connected_components(graph)]
    total = float(fte.sum())
    budget = k
    for i, comp in enumerate(sorted(components, key=lambda c: -float(fte[list(c)].sum()))):
        share = float(fte[list(comp)].sum()) / total
        n = budget if i == len(components) - 1 else max(1, min(budget - 1, round(share * k)))
        budget -= n
        parts.append((comp, max(n, 1)))
    labels: dict[str, int] = {}
    out: list[set[str]] = []
    for comp, n in parts:
        out += _improve(graph, fte, _bisect(graph.subgraph(comp), fte, n))
    out.sort(key=lambda p: -float(fte[list(p)].sum()))
    for index, part in enumerate(out):
        for code in part:
            labels[code] = index
    return labels


def _bisect(graph: nx.Graph, fte: pd.Series, k: int) -> list[set[str]]:
    nodes = set(graph.nodes)
    if k <= 1 or len(nodes) <= 1:
        return [nodes]
    k = min(k, len(nodes))
    tree = nx.minimum_spanning_tree(graph, weight="weight")
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
    return _bisect(graph.subgraph(side), fte, k1) + _bisect(
        graph.subgraph(nodes - side), fte, k - k1
    )


def _improve(graph: nx.Graph, fte: pd.Series, parts: list[set[str]]) -> list[set[str]]:
    """Move border municipalities between neighbouring parts while that lowers the sum of
    squared deviations from the mean part FTE and keeps both parts contiguous and non-empty."""
    parts = [set(p) for p in parts]
    if len(parts) < 2:
        return parts
    weight = [float(fte[list(p)].sum()) for p in parts]
    target = sum(weight) / len(parts)
    of = {code: i for i, p in enumerate(parts) for code in p}
    for _ in range(20 * graph.number_of_nodes()):
        best: tuple[float, str, int] | None = None
        for code in sorted(of):
            i = of[code]
            if len(parts[i]) == 1:
                continue
            w = float(fte[code])
            for j in sorted({of[n] for n in graph.neighbors(code)} - {i}):
                gain = (
                    (weight[i] - target) ** 2 + (weight[j] - target) ** 2
                    - (weight[i] - w - target) ** 2 - (weight[j] + w - target) ** 2
                )  # fmt: skip
                better = gain > 1e-9 and (best is None or gain > best[0])
                if better and nx.is_connected(graph.subgraph(parts[i] - {code})):
                    best = (gain, code, j)
        if best is None:
            break
        _, code, j = best
        i = of[code]
        parts[i].discard(code)
        parts[j].add(code)
        weight[i] -= float(fte[code])
        weight[j] += float(fte[code])
        of[code] = j
    return parts


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
    fte = _fte(scope)
    k = k or default_region_count(scope)
    labels = suggest_regions(scope, k)
    names: dict[int, str] = {}
    for index in sorted(set(labels.values())):
        members = register[register["kommunenummer"].map(labels) == index]
        largest = members.sort_values("population", ascending=False).iloc[0]
        names[index] = f"Region {largest['name']}"
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
    imputed = int(fte.loc[list(codes), "imputed"].sum())
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
    what = (
        {"nb": "én region", "nn": "éin region", "en": "one region"}
        if n == 1
        else {
            "nb": f"{n} jevnstore, sammenhengende regioner",
            "nn": f"{n} jamstore, samanhengande regionar",
            "en": f"{n} balanced contiguous regions",
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
    if imputed:
        total = len(register)
        assumptions.append(
            {
                "nb": f"Lærerårsverk: {imputed} av {total} tall er ANSLÅTT (fylkessummer fra før "
                "2020 fordelt etter folketallet i 2024); pek owners.fte_source på egne tall.",
                "nn": f"Lærarårsverk: {imputed} av {total} tal er ANSLÅTTE (fylkessummar frå før "
                "2020 fordelte etter folketalet i 2024); peik owners.fte_source på eigne tal.",
                "en": f"Teacher FTEs: {imputed} of {total} values are IMPUTED (bundled pre-2020 "
                "county totals shared by 2024 population); set owners.fte_source to your own "
                "figures.",
            }
        )
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
        "",
        "[owners]",
        '# fte_source = "laerere.csv"  # your figures: CSV (either dialect), .xlsx, or a Udir',
        "#                              # statistikkportalen export (Antall lærerårsverk)",
        '# fte_missing = "bundled"     # municipalities missing from your file: bundled, flagged',
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
    return Starter("\n".join(lines) + "\n", table, scope, language)


def regions_path(out: Path) -> Path:
    """The regions table ``init`` writes beside the scenario ``out``: ``<out stem>-regions.csv``."""
    return out.with_name(f"{out.stem}-regions.csv")


def write_starter(
    scope: data.Scope, out: Path, *, year: int, regime: str, k: int | None = None
) -> tuple[Path, Path]:
    """Write ``out`` (TOML) and ``<out stem>-regions.csv`` beside it (replacing files of
    those names); return both paths."""
    regions_path = out.with_name(f"{out.stem}-regions.csv")
    result = starter(scope, regions_path.name, year=year, regime=regime, k=k)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.toml, encoding="utf-8")
    result.regions.to_csv(regions_path, index=False, lineterminator="\n")
    return out, regions_path

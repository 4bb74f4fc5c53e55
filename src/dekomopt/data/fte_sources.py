"""Newer teacher-FTE figures from an SSB JSON-stat 2.0 file (tables such as 12609).

The reader fails with a :class:`DataError` naming the file and the JSON key; it never reaches
the network. Tables (CSV, xlsx, Udir exports) are read by :mod:`dekomopt.scenario.files`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from dekomopt.errors import DataError

_CODE = re.compile(r"^\d{4}$")
_SCHOOL_YEAR = re.compile(r"^\d{4}-\d{2}$")


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(str(path), "file", f"cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            str(path), "encoding", f"not UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None


def _categories(path: str, dim_id: str, dimension: object) -> list[tuple[str, str]]:
    """Category codes of one dimension in storage order, with labels."""
    key = f"dimension.{dim_id}"
    if not isinstance(dimension, Mapping) or not isinstance(dimension.get("category"), Mapping):
        raise DataError(path, key, "needs a 'category' object")
    category = dimension["category"]
    index, labels = category.get("index"), category.get("label", {})
    if not isinstance(labels, Mapping):
        raise DataError(path, f"{key}.category.label", "must be an object")
    if index is None:
        # JSON-stat allows omitting the index of a single-category dimension
        if len(labels) != 1:
            raise DataError(path, f"{key}.category.index", "missing (needed for >1 category)")
        codes = list(labels)
    elif isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, Mapping):
        positions = (
            sorted(index.values()) if all(isinstance(v, int) for v in index.values()) else None
        )
        if positions != list(range(len(index))):
            raise DataError(path, f"{key}.category.index", "positions must be 0..n-1, each once")
        codes = sorted(index, key=index.__getitem__)
    else:
        raise DataError(path, f"{key}.category.index", "must be a list or an object")
    if len(set(codes)) != len(codes):
        raise DataError(path, f"{key}.category.index", "repeated category code")
    return [(code, str(labels.get(code, code))) for code in codes]


def _pick_region(path: str, ids: list[str], roles: Mapping, region_dim: str | None) -> str:
    if region_dim is not None:
        if region_dim not in ids:
            raise DataError(
                path, "id", f"no dimension {region_dim!r}; dimensions: {', '.join(ids)}"
            )
        return region_dim
    geo = roles.get("geo") if isinstance(roles, Mapping) else None
    candidates = (
        list(geo) if isinstance(geo, list) and geo else [i for i in ids if "region" in i.lower()]
    )
    if len(candidates) != 1:
        raise DataError(
            path, "id", f"cannot tell the region dimension among {', '.join(ids)}; give region_dim="
        )
    return candidates[0]


def read_jsonstat(
    path: str | Path,
    region_dim: str | None = None,
    time: str | None = None,
    select: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """kommunenummer → value from an SSB JSON-stat 2.0 dataset (e.g. table 12609).

    The region dimension is ``region_dim``, else the one in ``role.geo``, else the only id
    containing "region" (e.g. ``Region``, ``KOKkommuneregion0000``). The time dimension is
    ``role.time`` or ``Tid``; ``time`` picks its category (default: the last). Every other
    dimension must have one category or be fixed in ``select`` (dimension → category code).
    Region codes that are not 4-digit municipality codes (county and country aggregates)
    are left out; municipalities whose value is missing (null or absent) are left out and
    listed in ``frame.attrs["missing"]``. Columns: kommunenummer, name, time, value.
    """
    source = str(path)
    text = _read_text(Path(path))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            source, "JSON", f"invalid JSON at line {exc.lineno} column {exc.colno}"
        ) from None
    if not isinstance(document, Mapping):
        raise DataError(source, "JSON", "top level must be an object")
    if document.get("class") != "dataset":
        raise DataError(source, "class", f"expected 'dataset', got {document.get('class')!r}")
    if "version" in document and document["version"] != "2.0":
        raise DataError(source, "version", f"expected '2.0', got {document['version']!r}")
    for key in ("id", "size", "dimension", "value"):
        if key not in document:
            raise DataError(source, key, "missing")
    ids, sizes, dimensions = document["id"], document["size"], document["dimension"]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not ids:
        raise DataError(source, "id", "must be a non-empty list of dimension names")
    if not isinstance(sizes, list) or not all(isinstance(s, int) and s > 0 for s in sizes):
        raise DataError(source, "size", "must be a list of positive integers")
    if len(sizes) != len(ids):
        raise DataError(source, "size", f"{len(sizes)} sizes for {len(ids)} dimensions")
    if not isinstance(dimensions, Mapping):
        raise DataError(source, "dimension", "must be an object")
    categories: dict[str, list[tuple[str, str]]] = {}
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dimensions:
            raise DataError(source, f"dimension.{dim_id}", "missing")
        categories[dim_id] = _categories(source, dim_id, dimensions[dim_id])
        if len(categories[dim_id]) != size:
            raise DataError(
                source, f"dimension.{dim_id}",
                f"{len(categories[dim_id])} categories but size says {size}",
            )  # fmt: skip
    total = math.prod(sizes)
    values = document["value"]
    if isinstance(values, list):
        if len(values) != total:
            raise DataError(source, "value", f"{len(values)} values, size implies {total}")
        flat = dict(enumerate(values))
    elif isinstance(values, Mapping):
        flat = {}
        for key, value in values.items():
            if not re.fullmatch(r"\d+", str(key)) or int(key) >= total:
                raise DataError(source, f"value.{key}", f"not a position in 0..{total - 1}")
            flat[int(key)] = value
    else:
        raise DataError(source, "value", "must be a list or an object")

    roles = document.get("role", {})
    region = _pick_region(source, ids, roles, region_dim)
    time_roles = roles.get("time") if isinstance(roles, Mapping) else None
    time_dim = time_roles[0] if isinstance(time_roles, list) and time_roles else "Tid"
    if time_dim not in ids or time_dim == region:
        raise DataError(
            source, "id", f"no time dimension ('role.time' or 'Tid') among {', '.join(ids)}"
        )
    fixed: dict[str, int] = {}
    select = dict(select or {})
    unknown = set(select) - set(ids)
    if unknown:
        raise DataError(
            source, "id", f"select names unknown dimension(s): {', '.join(sorted(unknown))}"
        )
    time_codes = [code for code, _ in categories[time_dim]]
    wanted_time = time if time is not None else time_codes[-1]
    if wanted_time not in time_codes:
        raise DataError(
            source, f"dimension.{time_dim}", f"no time {wanted_time!r}; has {', '.join(time_codes)}"
        )
    fixed[time_dim] = time_codes.index(wanted_time)
    for dim_id in ids:
        if dim_id in (region, time_dim):
            continue
        codes = [code for code, _ in categories[dim_id]]
        if dim_id in select:
            if select[dim_id] not in codes:
                raise DataError(
                    source,
                    f"dimension.{dim_id}",
                    f"no category {select[dim_id]!r}; has {', '.join(codes)}",
                )
            fixed[dim_id] = codes.index(select[dim_id])
        elif len(codes) == 1:
            fixed[dim_id] = 0
        else:
            raise DataError(
                source, f"dimension.{dim_id}",
                f"{len(codes)} categories ({', '.join(codes)}); choose one with select=",
            )  # fmt: skip

    strides = [math.prod(sizes[k + 1 :]) for k in range(len(ids))]
    base = sum(fixed[d] * strides[k] for k, d in enumerate(ids) if d != region)
    region_stride = strides[ids.index(region)]
    records, missing = [], []
    for position, (code, label) in enumerate(categories[region]):
        plain = code.removeprefix("K-")
        if not _CODE.match(plain):
            continue
        value = flat.get(base + position * region_stride)
        if value is None:
            missing.append(plain)
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise DataError(
                source, f"value[{base + position * region_stride}]", f"not a number: {value!r}"
            )
        records.append((plain, label, wanted_time, float(value)))
    if not records:
        raise DataError(source, f"dimension.{region}", "no municipality (4-digit code) has a value")
    frame = pd.DataFrame(records, columns=["kommunenummer", "name", "time", "value"])
    if frame["kommunenummer"].duplicated().any():
        raise DataError(source, f"dimension.{region}", "a municipality code appears twice")
    frame.attrs["missing"] = tuple(missing)
    return frame

"""User-supplied FTE files: SSB JSON-stat 2.0 (tables: tests/scenario/test_files.py)."""

from __future__ import annotations

import copy
import json

import pytest

from dekomopt.data import read_jsonstat
from dekomopt.errors import DataError


def test_jsonstat_dense_with_content_dimension(fixtures):
    path = fixtures / "ssb_12609_like.json"
    frame = read_jsonstat(path, select={"ContentsCode": "KOSaarsverkLaerer0000"})
    assert frame["kommunenummer"].tolist() == ["1103", "1108", "1144"]  # EAK aggregate dropped
    assert frame["value"].tolist() == [1650.5, 1100.0, 9.8]
    assert set(frame["time"]) == {"2023"}
    earlier = read_jsonstat(path, time="2022", select={"ContentsCode": "KOSelevperlaerer0000"})
    assert earlier["value"].tolist() == [11.9, 12.5, 6.9]
    assert earlier["name"].tolist() == ["Stavanger", "Sandnes", "Kvitsøy"]


def test_jsonstat_sparse_value_dict(fixtures):
    path = fixtures / "ssb_sparse.json"
    latest = read_jsonstat(path)
    assert latest[["kommunenummer", "value"]].values.tolist() == [
        ["1103", 1650.5],
        ["1108", 1100.0],
    ]
    assert latest.attrs["missing"] == ("1144",)
    first = read_jsonstat(path, region_dim="Region", time="2022")
    assert first[["kommunenummer", "value"]].values.tolist() == [["1103", 1600.0], ["1144", 10.1]]
    assert first.attrs["missing"] == ("1108",)


def _doc(fixtures):
    return json.loads((fixtures / "ssb_12609_like.json").read_text(encoding="utf-8"))


def _drop(key):
    def edit(d):
        del d[key]

    return edit


def _set(path, value):
    def edit(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


SEL = {"ContentsCode": "KOSaarsverkLaerer0000"}
REGION = "KOKkommuneregion0000"
BAD_JSON = [
    (_set(("class",), "collection"), {}, "class"),
    (_drop("class"), {}, "class"),
    (_set(("version",), "1.0"), {}, "version"),
    (_drop("id"), {}, "id"),
    (_drop("size"), {}, "size"),
    (_drop("dimension"), {}, "dimension"),
    (_drop("value"), {}, "value"),
    (_set(("id",), "Region"), {}, "id"),
    (_set(("id",), []), {}, "id"),
    (_set(("size",), [4, 2]), {}, "size"),
    (_set(("size",), [4, 2, 0]), {}, "size"),
    (_set(("size",), [4, 2, "2"]), {}, "size"),
    (_set(("size",), [5, 2, 2]), {}, f"dimension.{REGION}"),
    (_set(("dimension",), []), {}, "dimension"),
    (_set(("dimension", "Tid"), None), {}, "dimension.Tid"),
    (lambda d: d["dimension"].pop("Tid"), {}, "dimension.Tid"),
    (
        _set(("dimension", "Tid", "category", "index"), {"2022": 0, "2023": 0}),
        {},
        "dimension.Tid.category.index",
    ),
    (_set(("dimension", "Tid", "category", "index"), "2022"), {}, "dimension.Tid.category.index"),
    (
        _set(("dimension", "Tid", "category", "index"), ["2022", "2022"]),
        {},
        "dimension.Tid.category.index",
    ),
    (_set(("dimension", "Tid", "category", "label"), "x"), {}, "dimension.Tid.category.label"),
    (_set(("value",), [1.0, 2.0]), {}, "value"),
    (_set(("value",), "1,2"), {}, "value"),
    (_set(("value",), {"99": 1.0}), {}, "value.99"),
    (_set(("value",), {"a": 1.0}), {}, "value.a"),
    (_set(("value", 5), "12.0"), {}, "value[5]"),
    (None, {"time": "2030"}, "dimension.Tid"),
    (None, {"select": {}}, "dimension.ContentsCode"),
    (None, {"select": {"ContentsCode": "nope"}}, "dimension.ContentsCode"),
    (None, {"select": {"Nope": "x"}}, "id"),
    (None, {"region_dim": "Region"}, "id"),
    (_set(("role", "geo"), [REGION, "ContentsCode"]), {}, "id"),
    (
        lambda d: d.update(
            role={"geo": [REGION]},
            id=[REGION, "ContentsCode", "Year"],
            dimension={**d["dimension"], "Year": d["dimension"]["Tid"]},
        ),
        {},
        "id",
    ),
    (
        _set(("dimension", REGION, "category", "index"), {"EAK": 0, "K": 1, "L": 2, "M": 3}),
        {},
        f"dimension.{REGION}",
    ),
]


@pytest.mark.parametrize(("edit", "kwargs", "field"), BAD_JSON)
def test_bad_jsonstat(tmp_path, fixtures, edit, kwargs, field):
    document = copy.deepcopy(_doc(fixtures))
    if edit is not None:
        edit(document)
    path = tmp_path / "table.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    kwargs = {"select": SEL, **kwargs}
    with pytest.raises(DataError) as info:
        read_jsonstat(path, **kwargs)
    assert info.value.source == str(path)
    assert info.value.field == field
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"{not json", "JSON"),
        (b"[1, 2]", "JSON"),
        (b'{"class": "dataset", "x": "\xe6"}', "encoding"),
    ],
)
def test_unreadable_jsonstat(tmp_path, raw, field):
    path = tmp_path / "t.json"
    path.write_bytes(raw)
    with pytest.raises(DataError) as info:
        read_jsonstat(path)
    assert info.value.source == str(path) and info.value.field == field

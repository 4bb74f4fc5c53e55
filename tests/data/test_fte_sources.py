"""User-supplied FTE files: CSV and SSB JSON-stat 2.0."""

from __future__ import annotations

import copy
import json

import pytest

from dekomopt.data import read_fte_csv, read_jsonstat
from dekomopt.errors import DataError

H = "kommunenummer,teacher_fte\n"


def test_good_csv(fixtures):
    frame = read_fte_csv(fixtures / "fte_good.csv", county="Rogaland")
    assert frame["kommunenummer"].tolist() == ["1103", "1108", "1144"]
    assert frame["teacher_fte"].tolist() == [1650.5, 1100.0, 9.8]
    assert frame["school_year"].tolist() == ["2023-24", "2023-24", ""]


def test_two_column_csv_with_bom_and_blank_line(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(("\ufeff" + H + "1103,10\n\n1108,0\n").encode())
    assert read_fte_csv(path)["teacher_fte"].tolist() == [10.0, 0.0]


BAD_CSV = [
    ("", "header", "empty file"),
    ("\n", "header", "empty file"),
    ("kommune,teacher_fte\n1103,1\n", "header", "expected kommunenummer"),
    ("teacher_fte,kommunenummer\n1,1103\n", "header", "expected"),
    ("kommunenummer,teacher_fte,extra\n1103,1,x\n", "header", "expected"),
    ("kommunenummer,teacher_fte,source\n1103,1,x\n", "header", "expected"),
    ("kommunenummer;teacher_fte\n1103;1\n", "header", "expected"),
    (H, "rows", "no data rows"),
    (H + "1103\n", "row 2", "1 fields"),
    (H + "1103,1,2\n", "row 2", "3 fields"),
    (H + "113,1\n", "row 2 column kommunenummer", "4-digit"),
    (H + "11030,1\n", "row 2 column kommunenummer", "4-digit"),
    (H + "ABCD,1\n", "row 2 column kommunenummer", "4-digit"),
    (H + ",1\n", "row 2 column kommunenummer", "4-digit"),
    (H + "1103,1\n1108,2\n1103,3\n", "row 4 column kommunenummer", "duplicate of row 2"),
    (H + "1103,\n", "row 2 column teacher_fte", "not a number"),
    (H + "1103,abc\n", "row 2 column teacher_fte", "not a number"),
    (H + '1103,"1,5"\n', "row 2 column teacher_fte", "not a number"),
    (H + "1103,nan\n", "row 2 column teacher_fte", "finite"),
    (H + "1103,inf\n", "row 2 column teacher_fte", "finite"),
    (H + "1103,-0.5\n", "row 2 column teacher_fte", "negative"),
    (H + "1103,1\n1108,-2\n", "row 3 column teacher_fte", "negative"),
    ("kommunenummer,teacher_fte,school_year\n1103,1,2023\n", "row 2 column school_year", "2023-24"),
    ("kommunenummer,teacher_fte,school_year\n1103,1,23-24\n", "row 2 column school_year", "2023"),
]


@pytest.mark.parametrize(("content", "field", "message"), BAD_CSV)
def test_bad_csv(tmp_path, content, field, message):
    path = tmp_path / "fte.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_fte_csv(path)
    assert info.value.source == str(path)
    assert info.value.field == field
    assert message in info.value.message
    assert str(path) in str(info.value) and field in str(info.value)


def test_csv_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((H + "1103,1\n# Kvitsøy\n").encode("latin-1"))
    with pytest.raises(DataError) as info:
        read_fte_csv(path)
    assert info.value.source == str(path) and info.value.field == "encoding"


def test_csv_code_outside_county(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(H + "4601,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 2 column kommunenummer: 4601 is not"):
        read_fte_csv(path, county="Rogaland")


def test_csv_missing_file(tmp_path):
    with pytest.raises(DataError) as info:
        read_fte_csv(tmp_path / "nope.csv")
    assert info.value.field == "file"


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

"""Partners outside the bundled campus list: the planner names them and their campus
municipality; where no place is known, travel is reported as unavailable everywhere, never
measured to a made-up place."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dekomopt.cli import main
from dekomopt.county import allocation_problem, build_county
from dekomopt.data import haversine_km, load_municipalities
from dekomopt.scenario import load_scenario

UNAVAILABLE = "Travel to partners is unavailable"


def _starter(tmp_path: Path, extra: str = "") -> Path:
    toml = tmp_path / "vestfold.toml"
    assert main(["init", "Vestfold", "--out", str(toml)]) == 0
    text = toml.read_text(encoding="utf-8") + extra
    toml.write_text(text, encoding="utf-8")
    return toml


def _with_campus(toml: Path, code: str) -> None:
    text = toml.read_text(encoding="utf-8")
    commented = '# kommunenummer = "NNNN"'
    assert commented in text
    toml.write_text(text.replace(commented, f'kommunenummer = "{code}"'), encoding="utf-8")


def _expected_km(toml: Path, code: str) -> float:
    county = build_county(load_scenario(toml))
    campus = load_municipalities().set_index("kommunenummer").loc[code]
    owners = county.owners
    km = haversine_km(owners["lat"], owners["lon"], campus["point_lat"], campus["point_lon"])
    fte = owners["teacher_fte"].to_numpy(float)
    return float(np.asarray(km) @ fte / fte.sum())


def test_starter_without_campus_says_travel_unavailable_then_measures_the_campus(tmp_path, capsys):
    uncertainty = "\n[uncertainty]\nfte_noise = 0.0\nbudget_change = 0.05\ndraws = 4\n"
    toml = _starter(tmp_path, uncertainty)
    text = toml.read_text(encoding="utf-8")
    assert "lat =" not in text and "lon =" not in text  # no made-up place
    capsys.readouterr()

    assert main(["validate", str(toml)]) == 0
    out = capsys.readouterr().out
    assert "UH-partner (distance unavailable)" in out and UNAVAILABLE in out
    assert main(["propose", str(toml), "--out", str(tmp_path / "p")]) == 0
    caveats = json.loads((tmp_path / "p" / "provenance.json").read_text("utf-8"))["caveats"]
    assert any(UNAVAILABLE in c for c in caveats)
    assert main(["simulate", str(toml), "--lang", "en", "--out", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "travel_km" in out and "unavailable: a partner's place is unknown" in out
    summary = pd.read_csv(tmp_path / "s" / "summary.csv", keep_default_na=False)
    travel = summary[(summary["metric"] == "travel_km") & (summary["owner"] == "")]
    assert int(travel["n"].iloc[0]) == 0
    assert main(["structures", str(toml), "--enumerate", "--out", str(tmp_path / "st")]) == 0
    assert UNAVAILABLE in capsys.readouterr().out
    scores = pd.read_parquet(tmp_path / "st" / "metrics.parquet")
    assert len(scores) and scores["travel_km"].isna().all()
    prov = json.loads((tmp_path / "st" / "provenance.json").read_text("utf-8"))
    assert any(UNAVAILABLE in c for c in prov["caveats"])

    _with_campus(toml, "3901")
    expected = _expected_km(toml, "3901")
    assert main(["validate", str(toml)]) == 0
    out = capsys.readouterr().out
    assert UNAVAILABLE not in out and "distance unavailable" not in out
    county = build_county(load_scenario(toml))
    assert county.travel_known
    assert county.partners.at[0, "location"].startswith("point of 3901 Horten")
    problem = allocation_problem(load_scenario(toml), county)
    fte = problem.owner_fte
    assert float(problem.owner_km @ fte / fte.sum()) == pytest.approx(expected, rel=1e-12)
    assert main(["simulate", str(toml), "--lang", "en", "--out", str(tmp_path / "s2")]) == 0
    summary = pd.read_csv(tmp_path / "s2" / "summary.csv", keep_default_na=False)
    travel = summary[(summary["metric"] == "travel_km") & (summary["owner"] == "")]
    assert float(travel["mean"].iloc[0]) == pytest.approx(expected, rel=1e-9)
    assert main(["structures", str(toml), "--enumerate", "--out", str(tmp_path / "st2")]) == 0
    scores = pd.read_parquet(tmp_path / "st2" / "metrics.parquet")
    optimal = scores[scores["status"] == "optimal"]
    assert len(optimal) and optimal["travel_km"].notna().all()
    capsys.readouterr()


def test_a_partners_file_in_the_norwegian_dialect_places_the_campus(tmp_path):
    toml = _starter(tmp_path)
    text = toml.read_text(encoding="utf-8")
    start = text.index("\n[[partners.extra]]\n")
    end = text.index("\n[rules]\n")
    text = text[:start] + text[end:]
    text = text.replace("[partners]\n", '[partners]\nextra_csv = "partnere.csv"\n', 1)
    toml.write_text(text, encoding="utf-8")
    (tmp_path / "partnere.csv").write_bytes(
        "id;name;kind;kommunenummer;source\r\nUH-partner;USN Vestfold;uh;3901;eget valg\r\n".encode(
            "utf-8-sig"
        )
    )
    expected = _expected_km(toml, "3901")
    county = build_county(load_scenario(toml))
    assert county.partners.at[0, "partner_name"] == "USN Vestfold"
    problem = allocation_problem(load_scenario(toml), county)
    fte = problem.owner_fte
    assert float(problem.owner_km @ fte / fte.sum()) == pytest.approx(expected, rel=1e-12)
    (record,) = [f for f in county.input_files if f.key == "partners.extra_csv"]
    assert record.path == "partnere.csv" and record.rows_read == 1
    assert record.dialect.startswith("semicolon-separated")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (('# kommunenummer = "NNNN"', 'kommunenummer = "9999"'), "9999 is no 2024 municipality"),
        (
            ("[rules]\n", "[metrics]\ntravel_cost_nok_per_km_fte = 2.0\n\n[rules]\n"),
            "metrics.travel_cost_nok_per_km_fte: needs the distance to the partners",
        ),
        (
            ('eligible = ["UH-partner"]', 'eligible = ["UH-partner", "UiS-Ullandhaug"]'),
            '"nearest" needs the place of every eligible partner',
        ),
    ],
    ids=["unknown campus code", "travel cost without a place", "nearest without a place"],
)
def test_what_needs_a_place_is_refused_in_one_line(tmp_path, capsys, change, words):
    toml = _starter(tmp_path)
    text = toml.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(toml)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0], err


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_starter_report_states_its_caveats_in_the_readers_language(tmp_path, capsys, lang):
    toml = _starter(tmp_path)
    out = tmp_path / "r"
    args = ["report", str(toml), "--out", str(out), "--lang", lang, "--no-explorer"]
    assert main(args) == 0
    capsys.readouterr()
    page = (out / "rapport.html").read_text(encoding="utf-8")
    for english in (
        UNAVAILABLE,
        "no per-municipality teacher FTEs are bundled",
        "Imputed FTEs assume",
        "Private schools left out",
        "Structure is ILLUSTRATIVE",
        "Partner: NOT NAMED YET",
        "Input file structure.csv",
        "per 2024 inhabitant",
    ):
        assert english not in page, english
    assert "Reiseavstanden til partn" in page
    assert ("ANSLÅTT" if lang == "nb" else "ANSLÅTTE") in page
    assert "&#x27;rows_read&#x27;" not in page  # the files read are sentences, not a dict
    assert "vestfold-regions.csv" in page and "kommaseparert" in page
    assert "comma-separated" not in page


def test_sensitivity_to_distance_parameters_is_refused_without_a_place(tmp_path, capsys):
    toml = _starter(tmp_path)
    assert (
        main(
            [
                "sensitivity",
                str(toml),
                "--samples",
                "8",
                "--lang",
                "en",
                "--out",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    text = toml.read_text(encoding="utf-8")
    vary = 'vary = ["uh_share_min", "special_ed_share_min", "key_tolerance"]'
    assert vary in text  # the starter varies only what needs no place
    travel = vary.replace("]", ', "key_weight_distance", "distance_cost"]')
    toml.write_text(text.replace(vary, travel), encoding="utf-8")
    assert main(["sensitivity", str(toml), "--samples", "8", "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sensitivity.vary: key_weight_distance, distance_cost" in err[0]


VT = Path(__file__).resolve().parents[2] / "scenarios" / "vestfold-og-telemark-2026.toml"
UNNAMED = {
    "nb": "UH-partner (ikke navngitt ennå)",
    "nn": "UH-partnar (ikkje namngjeven enno)",
    "en": "UH partner (not named yet)",
}


def test_bundled_vestfold_og_telemark_measures_no_travel_to_a_made_up_place(capsys):
    spec = load_scenario(VT).spec
    for partner in spec.partners.extra:
        assert partner.kommunenummer is None and partner.lat is None and partner.lon is None
    county = build_county(load_scenario(VT))
    assert county.partners["lat"].isna().all() and county.edges["km"].isna().all()
    assert main(["validate", str(VT)]) == 0
    out = capsys.readouterr().out
    assert UNAVAILABLE in out and " km" not in out.replace("distance unavailable", "")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_partner_and_scenario_names_in_the_report_language(tmp_path, lang, capsys):
    out = tmp_path / lang
    assert main(["report", str(VT), "--lang", lang, "--out", str(out), "--no-explorer"]) == 0
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert UNNAMED[lang] in page
    for other, name in UNNAMED.items():
        if name != UNNAMED[lang]:
            assert name not in page, other
    assert ("(starter)" in page) == (lang == "en")
    partners = pd.read_csv(out / "partners.csv")
    assert partners["partner_name"].tolist() == [UNNAMED[lang]]  # as the report and workbook

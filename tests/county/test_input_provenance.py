"""propose, simulate and structures record the files a scenario names the same way: path as
given, sha256, format, dialect and rows read (one record type, InputFile.record)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dekomopt.cli import main
from dekomopt.data import load_municipalities


def _scenario(tmp_path: Path) -> Path:
    toml = tmp_path / "vestfold.toml"
    assert main(["init", "Vestfold", "--out", str(toml)]) == 0
    codes = load_municipalities("Vestfold")["kommunenummer"]
    rows = "".join(f"{c};{100 + 7 * i},5\r\n" for i, c in enumerate(codes))
    (tmp_path / "lærere.csv").write_bytes(
        ("kommunenummer;teacher_fte\r\n" + rows).encode("utf-8-sig")
    )
    text = toml.read_text(encoding="utf-8").replace(
        "exclude_private = true", 'fte_source = "lærere.csv"\nexclude_private = true'
    )
    text += "\n[uncertainty]\nfte_noise = 0.05\ndraws = 8\nchunk_size = 4\n"
    toml.write_text(text, encoding="utf-8")
    return toml


def test_simulate_and_structures_list_the_input_files_as_propose_does(tmp_path, capsys):
    toml = _scenario(tmp_path)
    outs = {name: tmp_path / name for name in ("p", "sim", "st")}
    assert main(["propose", str(toml), "--out", str(outs["p"])]) == 0
    assert main(["simulate", str(toml), "--out", str(outs["sim"])]) == 0
    assert main(["structures", str(toml), "--enumerate", "--out", str(outs["st"])]) == 0
    capsys.readouterr()
    records = {
        name: json.loads((out / "provenance.json").read_text(encoding="utf-8"))["input_files"]
        for name, out in outs.items()
    }
    assert records["sim"] == records["p"] and records["st"] == records["p"]
    by_key = {r["key"]: r for r in records["p"]}
    assert set(by_key) == {"structure.csv", "owners.fte_source"}
    fte = by_key["owners.fte_source"]
    assert fte["path"] == "lærere.csv"
    assert fte["sha256"] == hashlib.sha256((tmp_path / "lærere.csv").read_bytes()).hexdigest()
    assert fte["format"] == "csv"
    assert fte["dialect"].startswith("semicolon-separated, decimal comma, UTF-8 with BOM")
    assert fte["rows_read"] == 6
    assert by_key["structure.csv"]["path"] == "vestfold-regions.csv"

"""One name for the effective sample size: "ESS", defined in one line where a run first shows
it; the weights' effective sample size is the same quantity ((Σw)²/Σw²), never another name."""

from __future__ import annotations

from dekomopt.report.catalogue import MESSAGES
from dekomopt.structures.command import structures_command
from dekomopt.structures.outlier import ESS_DEFINITION


def test_a_sampled_run_defines_ess_where_it_first_shows_it(
    scenario_with_structures, tmp_path, capsys
):
    path = scenario_with_structures("regions = 3", "balance = 0.7")
    out = tmp_path / "s"
    structures_command(str(path), False, 60, 2, 1, 5, str(out), law="spanning-tree", lang="en")
    lines = capsys.readouterr().out.splitlines()
    first = next(i for i, line in enumerate(lines) if "ESS" in line)
    assert lines[first].startswith("reference: ")
    assert "effective sample size (ESS) of the weights, (Σw)²/Σw², " in lines[first]
    assert lines[first + 1] == f"  {ESS_DEFINITION}"
    assert sum(ESS_DEFINITION in line for line in lines) == 1
    header = next(i for i, line in enumerate(lines) if line.startswith("metric"))
    assert "ESS" in lines[header] and header > first + 1
    written = [p for p in out.rglob("*") if p.suffix in (".csv", ".json")]
    assert written
    for text in ["\n".join(lines), *(p.read_text(encoding="utf-8") for p in written)]:
        assert "kish" not in text.lower()


def test_the_catalogue_names_it_the_same_way_in_every_language():
    for message_id, languages in MESSAGES.items():
        for lang, template in languages.items():
            assert "kish" not in template.lower(), (message_id, lang)
    reweighted = MESSAGES["struct_ref_reweighted"]
    assert all("(ESS)" in template and "(Σw)²/Σw²" in template for template in reweighted.values())

"""``dekomopt validate`` reports every problem of a scenario in one pass: checks that do not
depend on each other all run, whichever of them fails first; and a partner the regime does
not allow is a problem like an owner it does not allow."""

from __future__ import annotations

from dekomopt.cli import main

KOLLEKTIV = ('regime = "dekom"\nyear = 2025', 'regime = "kollektiv-2026"\nyear = 2026')


def _errors(capsys) -> list[str]:
    return capsys.readouterr().err.strip().splitlines()


def _edit(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_schema_table_and_county_problems_come_together(write, base_text, capsys):
    text = _edit(
        base_text,
        KOLLEKTIV,
        (
            "total_nok = 1_000_000",
            'total_nok = 1_000_000\nset_asides = [{ name = "A", share = 0.7 }, '
            '{ name = "B", share = 0.5 }, { name = "C", amount_nok = 2_000_000 }]',
        ),
        (
            "private_network = true",
            'non_participating = ["1103", "9999", "1103"]\nextra = ['
            '{ id = "p1", name = "A", kind = "private", region = "NORD", teacher_fte = 10, '
            'source = "x" }, '
            '{ id = "p1", name = "B", kind = "private", region = "nord", teacher_fte = -3, '
            'source = "x" }, '
            '{ id = "c1", name = "C", kind = "county", region = "MIDT", teacher_fte = 5, '
            'source = "x" }]',
        ),
        ('"HVL-Haugesund"]', '"HVL-Haugesund", "NOPE"]'),
        ('edges = "nearest"', 'edges = { NORD = ["UiS-Ullandhaug"], FOO = ["UiS-Ullandhaug"] }'),
        ("cofinancing_share = 0.3", "cofinancing_share = 0.3\nkindergarten_share = 0.3"),
    )
    assert main(["validate", str(write(text))]) == 2
    err = "\n".join(_errors(capsys))
    for words in (
        "set-aside shares add to 1.2",
        "set-aside amounts add to 2 000 000 kr",
        "owners.extra.1.teacher_fte",
        "owner id used twice: p1",
        "'9999' is no owner",
        "'1103' is listed twice",
        "owners.extra[2].kind: 'c1': the county is no owner in the kollektiv-2026 regime",
        "differs from the structure's region 'NORD' only in case",
        "unknown partner 'NOPE'",
        "partners.edges.FOO: unknown region",
        "region MIDT has no partner",
        "region SOR has no partner",
    ):
        assert words in err, (words, err)
    assert "region nord has no partner" not in err  # its problem is the case, said once


def test_every_region_without_a_partner_is_named(write, base_text, capsys):
    text = _edit(base_text, ('edges = "nearest"', 'edges = { NORD = ["UiS-Ullandhaug"] }'))
    assert main(["validate", str(write(text))]) == 2
    err = _errors(capsys)
    assert [line.rsplit(": ", 1)[1] for line in err] == [
        "region Friskolane has no partner",
        "region MIDT has no partner",
        "region SOR has no partner",
    ], err


def test_uncertainty_problems_come_together(write, base_text, capsys):
    text = base_text + (
        "\n[uncertainty]\nfte_noise = -0.1\nparticipation_by_owner = "
        '{ "9999" = 0.5, "1103" = 2 }\nneeds_probability = 0.5\n'
    )
    assert main(["validate", str(write(text))]) == 2
    err = "\n".join(_errors(capsys))
    for words in (
        "uncertainty.fte_noise",
        "uncertainty.participation_by_owner.1103",
        "uncertainty.needs_nok_per_fte: is 0",
        "'9999' is no owner of this scenario",
    ):
        assert words in err, (words, err)


def test_sensitivity_vary_names_unknown_and_repeated_parameters_at_once(write, base_text, capsys):
    text = base_text + '\n[sensitivity]\nvary = ["uh_share_min", "foo", "uh_share_min"]\n'
    assert main(["validate", str(write(text))]) == 2
    (line,) = _errors(capsys)
    assert "unknown parameter 'foo'" in line and "uh_share_min listed twice" in line


def _fagskole(text: str) -> str:
    return _edit(
        text,
        ('"HVL-Haugesund"]', '"HVL-Haugesund", "Fag"]'),
        (
            'edges = "nearest"',
            'edges = "all"\n\n[[partners.extra]]\nid = "Fag"\nname = "Fagskolen"\n'
            'kind = "fagskole"\nkommunenummer = "1103"\nsource = "x"',
        ),
    )


def test_a_fagskole_partner_is_refused_in_the_dekom_regime(write, base_text, capsys):
    assert main(["validate", str(write(_fagskole(base_text)))]) == 2
    (line,) = _errors(capsys)
    assert "partners.extra[0].kind: 'Fag' is a fagskole partner" in line
    assert "dekom regime" in line


def test_a_fagskole_partner_is_allowed_from_2026(write, base_text, capsys):
    text = _edit(
        _fagskole(base_text),
        KOLLEKTIV,
        ("cofinancing_share = 0.3", "cofinancing_share = 0.3\nkindergarten_share = 0.3"),
    )
    assert main(["validate", str(write(text))]) == 0, _errors(capsys)

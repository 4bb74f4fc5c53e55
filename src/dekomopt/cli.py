"""The ``dekomopt`` command line. User mistakes print one line per problem and exit 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from dekomopt import __version__
from dekomopt.errors import DataError, DekomoptError

EXIT_USER_ERROR = 2


def _fmt_nok(amount: float) -> str:
    return f"{amount:,.0f}".replace(",", " ") + " kr"


def cmd_validate(args: argparse.Namespace) -> int:
    """Load a scenario, build its county model and print a summary."""
    from dekomopt.county import allocation_problem, build_county, set_aside_amounts
    from dekomopt.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    county = build_county(scenario)
    problem = allocation_problem(scenario, county)
    spec = scenario.spec
    meta = spec.scenario
    owners = county.owners
    print(f"scenario   {meta.name} ({scenario.path.name}, sha256 {scenario.sha256[:12]})")
    print(f"county     {county.name} ({county.number:02d}), regime {meta.regime}, year {meta.year}")
    kinds = owners["owner_kind"].value_counts()
    print(
        f"owners     {len(owners)} ("
        + ", ".join(f"{n} {k}" for k, n in kinds.items())
        + f"), {int((~owners['participates']).sum())} not participating"
    )
    flag = " — ILLUSTRATIVE" if county.structure_illustrative else ""
    print(
        f"regions    {len(county.regions)}{flag}"
        + (f": {county.structure_basis}" if county.structure_basis else "")
    )
    fte = county.region_fte()
    total_fte = fte.sum()
    for region in county.regions:
        members = owners[owners["region"] == region]
        partners = county.edges.loc[county.edges["region"] == region]
        links = ", ".join(
            f"{p} {km:.0f} km" for p, km in zip(partners["partner_id"], partners["km"], strict=True)
        )
        print(
            f"  {region:<28} {len(members):>3} owners  {fte[region]:>9.1f} FTE "
            f"({fte[region] / total_fte:6.1%})  partners: {links}"
        )
    b = spec.budget
    print(f"budget     {_fmt_nok(b.total_nok)}" + (" (illustrative)" if b.illustrative else ""))
    for name, amount in set_aside_amounts(scenario):
        print(f"  set aside {name}: {_fmt_nok(amount)}")
    print(f"  to distribute: {_fmt_nok(problem.budget_nok)}")
    r = spec.rules
    print(
        f"rules      UH min {r.uh_share_min:.0%} ({r.uh_scope}),"
        f" co-financing {r.cofinancing_share:.0%}, special-ed min {r.special_ed_share_min:.0%}"
        + (f", kindergarten {r.kindergarten_share:.0%}" if r.kindergarten_share is not None else "")
        + f", key weights fte/distance/special {r.key_weights.fte:g}/{r.key_weights.distance:g}/"
        f"{r.key_weights.special:g}"
        + (f", key tolerance {r.key_tolerance:.1%}" if r.key_tolerance else "")
        + (
            f", stability ±{r.stability_max_change:.0%}"
            if r.stability_max_change is not None
            else ""
        )
        + f", rounding {r.rounding_unit_nok} kr"
    )
    imputed = owners[owners["fte_imputed"]]
    print(f"imputed    {len(imputed)} of {len(owners)} teacher-FTE values")
    for row in imputed.itertuples(index=False):
        print(f"  {row.owner_id} {row.owner_name}: {row.teacher_fte:.1f} FTE ({row.fte_method})")
    for text in meta.assumptions:
        print(f"assumption {text}")
    for text in county.warnings:
        print(f"warning    {text}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dekomopt",
        description="Distribution proposals and fairness analysis for Norway's "
        "competence-development grants for schools.",
    )
    parser.add_argument("--version", action="version", version=f"dekomopt {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a scenario and print a summary")
    p.add_argument("scenario", help="scenario TOML file")
    p.set_defaults(func=cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a subcommand; a user error prints its lines on stderr and returns 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except DataError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    except DekomoptError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())

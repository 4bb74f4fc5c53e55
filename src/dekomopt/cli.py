"""The ``dekomopt`` command line. User mistakes print one line per problem and exit 2."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dekomopt import __version__
from dekomopt.errors import DataError, DekomoptError

if TYPE_CHECKING:
    from dekomopt.proposal import Proposal

EXIT_USER_ERROR = 2
_EXTRAS = {
    "SALib": "sensitivity",
    "dask": "dask",
    "distributed": "dask",
    "gerrychain": "structures",
}


def cmd_validate(args: argparse.Namespace) -> int:
    """Load a scenario, build its county model and print a summary."""
    from dekomopt.county import allocation_problem, build_county
    from dekomopt.formats import format_nok as kr
    from dekomopt.scenario import load_scenario, set_aside_amounts

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
    print(f"budget     {kr(b.total_nok)}" + (" (illustrative)" if b.illustrative else ""))
    for name, amount in set_aside_amounts(scenario):
        print(f"  set aside {name}: {kr(amount)}")
    print(f"  to distribute: {kr(problem.budget_nok)}")
    r = spec.rules
    print(
        f"rules      UH min {r.uh_share_min:.0%} ({r.uh_scope}),"
        f" co-financing {r.cofinancing_share:.0%}, special-ed min {r.special_ed_share_min:.0%}"
        + (f", kindergarten {r.kindergarten_share:.0%}" if r.kindergarten_share is not None else "")
        + f", key weights fte/distance/special {r.key_weights.fte:g}/{r.key_weights.distance:g}/"
        f"{r.key_weights.special:g}"
        + (
            ""
            if r.key_tolerance is None
            else ", strictly pro rata (key tolerance 0)"
            if r.key_tolerance == 0
            else f", key tolerance {r.key_tolerance:.1%}"
        )
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


def _print_proposal(proposal: Proposal) -> None:
    from dekomopt.formats import format_nok as kr
    from dekomopt.formats import format_number

    regions = proposal.regions
    width = max(12, *(len(r) for r in regions["region"]))
    print(f"{proposal.scenario_name}, {proposal.year}: {kr(proposal.budget_nok)} distributed")
    print(f"{'region':<{width}} {'FTE':>9} {'key':>7} {'amount':>15} {'kr/FTE':>9} {'to UH':>15}")
    columns = ("teacher_fte", "key_share", "amount_nok", "nok_per_fte", "partners_nok")
    numbers = regions[list(columns)].to_numpy(float)
    for region, (fte, key, amount, per_fte, to_uh) in zip(regions["region"], numbers, strict=True):
        print(
            f"{region:<{width}} {fte:>9.1f} {key:>7.2%} {kr(amount):>15} "
            f"{format_number(per_fte):>9} {kr(to_uh):>15}"
        )
    total = int(regions["amount_nok"].sum())
    print(f"{'total':<{width}} {regions['teacher_fte'].sum():>9.1f} {'':>7} {kr(total):>15}")
    unmet = [r for r in proposal.rules if not r["met"]]
    print(
        f"rules: {len(proposal.rules)} rows checked, {len(unmet)} unmet; binding: "
        + (", ".join(proposal.binding_rules) or "none")
    )
    for i, (table, alt) in enumerate(
        zip(proposal.alternatives, proposal.alternative_summaries, strict=True), start=1
    ):
        print(
            f"alternative {i} ({alt.direction}): moves {kr(alt.moved_nok)} between recipients "
            f"(at least {kr(alt.nearest_nok)} from the proposal and earlier alternatives); "
            f"objective +{alt.objective_increase:.3g}"
        )
        numbers = table[["amount_nok", "change_nok", "partners_nok"]].to_numpy(float)
        for region, (amount, change, to_uh) in zip(table["region"], numbers, strict=True):
            print(
                f"  {region:<{width}} {kr(amount):>15} ({kr(change, signed=True)}), "
                f"to UH {kr(to_uh)}"
            )
    if proposal.alternatives_note:
        print(f"alternatives: {proposal.alternatives_note}")


def _write_report(proposal, county, target, lang: str) -> list:
    from dekomopt.data import load_polygons
    from dekomopt.report import geography_from_proposal, write_report, write_spreadsheet

    points = {row.partner_id: (row.lat, row.lon) for row in county.partners.itertuples(index=False)}
    geography = geography_from_proposal(proposal, load_polygons(county.name), points)
    html = write_report(proposal, target, lang=lang, geography=geography)
    xlsx = write_spreadsheet(proposal, target / f"{_WORKBOOK[lang]}.xlsx", lang=lang)
    return [html, xlsx]


_WORKBOOK = {"nb": "forslag", "nn": "forslag", "en": "proposal"}


def cmd_propose(args: argparse.Namespace) -> int:
    """Solve a scenario and write the proposal's tables (and the report with --report)."""
    from dekomopt.county import allocation_problem, build_county
    from dekomopt.proposal import propose_years, read_previous, write_proposal
    from dekomopt.scenario import load_scenario

    problems = []
    if args.alternatives < 0:
        problems.append(f"--alternatives: must be 0 or more, got {args.alternatives}")
    if args.slack < 0:
        problems.append(f"--slack: must be 0 or more, got {args.slack}")
    write_lp = Path(args.write_lp) if args.write_lp else None
    if write_lp is not None and write_lp.suffix.lower() not in (".lp", ".mps"):
        problems.append(f"--write-lp: {write_lp}: the file name must end in .lp or .mps")
    if write_lp is not None and not write_lp.parent.is_dir():
        problems.append(f"--write-lp: {write_lp}: folder {write_lp.parent} does not exist")
    if problems:
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    scenario = load_scenario(args.scenario)
    county = build_county(scenario)
    previous = previous_total = None
    if args.previous:
        previous = read_previous(Path(args.previous), county.regions)
        previous_total = int(round(previous.sum()))
    proposals = propose_years(
        scenario,
        county=county,
        previous=previous,
        previous_total_nok=previous_total,
        n_alternatives=args.alternatives,
        alternative_slack=args.slack,
    )
    out = Path(args.out or f"out/{scenario.path.stem}")
    if write_lp is not None:
        from dekomopt.allocation.pulp_model import write_model

        problem = allocation_problem(scenario, county)
        if previous is not None:
            problem = problem.with_(region_previous=previous, previous_total_nok=previous_total)
        print(f"model: {write_model(problem, write_lp)} (the first year's LP, PuLP statement)")
    for proposal in proposals:
        target = out if len(proposals) == 1 else out / str(proposal.year)
        write_proposal(proposal, target)
        _print_proposal(proposal)
        if args.report:
            for path in _write_report(proposal, county, target, args.lang):
                print(f"report: {path}")
    print(f"written to {out}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    """Monte Carlo fairness of the scenario's structure under its [uncertainty]."""
    from dekomopt.simulation.command import simulate_command

    out = args.out or f"out/{Path(args.scenario).stem}-simulation"
    return simulate_command(
        args.scenario, args.draws, args.seed, args.workers, args.scheduler, args.resume, out
    )


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol indices of the fairness metrics with respect to the rule parameters."""
    from dekomopt.simulation.command import sensitivity_command

    out = args.out or f"out/{Path(args.scenario).stem}-sensitivity"
    return sensitivity_command(args.scenario, args.samples, args.seed, out)


def cmd_structures(args: argparse.Namespace) -> int:
    """Today's region structure against every (or a sample of) contiguous alternative."""
    from dekomopt.structures.command import structures_command

    out = args.out or f"out/{Path(args.scenario).stem}-structures"
    return structures_command(
        args.scenario, args.enumerate, args.sample, args.chains, args.workers, args.seed, out
    )


def cmd_partitions(args: argparse.Namespace) -> int:
    """Count or enumerate contiguous partitions of any graph given as CSV."""
    from dekomopt.structures import partitions_command

    return partitions_command(
        args.edges, args.weights, args.parts, args.balance, args.count, args.enumerate, args.out
    )


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

    for name, text in (
        ("propose", "compute the optimal rule-compliant distribution proposal"),
        ("report", "propose and write the forum's report (HTML) and workbook"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("scenario", help="scenario TOML file")
        p.add_argument("--out", help="output folder (default out/<scenario name>)")
        p.add_argument(
            "--previous", help="last year's allocation (region,amount_nok or allocation.csv)"
        )
        p.add_argument(
            "--alternatives", type=int, default=0, metavar="N", help="near-optimal alternatives"
        )
        p.add_argument("--slack", type=float, default=0.05, help="objective slack for alternatives")
        p.add_argument("--lang", choices=("nb", "nn", "en"), default="nb", help="report language")
        p.add_argument(
            "--write-lp",
            metavar="FILE",
            help="also write the first year's LP as PuLP states it (.lp or .mps by suffix)",
        )
        if name == "propose":
            p.add_argument(
                "--report", action="store_true", help="also write the HTML report and workbook"
            )
        p.set_defaults(func=cmd_propose, report=name == "report")

    p = sub.add_parser("simulate", help="Monte Carlo fairness of a region structure")
    p.add_argument("scenario", help="scenario TOML file (with an [uncertainty] table)")
    p.add_argument("--draws", type=int, help="number of draws (default: the scenario's)")
    p.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=1, help="local worker processes")
    where.add_argument("--scheduler", metavar="ADDRESS", help="a Dask distributed scheduler")
    p.add_argument("--resume", action="store_true", help="keep finished chunks of an earlier run")
    p.add_argument("--out", help="output folder")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("sensitivity", help="Sobol indices of the metrics to the rule parameters")
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--samples", type=int, default=64, help="Saltelli base samples (power of 2)")
    p.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    p.add_argument("--out", help="output folder")
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser("structures", help="is today's region structure an outlier?")
    p.add_argument("scenario", help="scenario TOML file (with a [structures] table)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--enumerate", action="store_true", help="every plausible structure")
    how.add_argument("--sample", type=int, metavar="N", help="N structures by ReCom chains")
    p.add_argument("--chains", type=int, default=4, help="independent chains when sampling")
    p.add_argument("--workers", type=int, default=1, help="local worker processes")
    p.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    p.add_argument("--out", help="output folder")
    p.set_defaults(func=cmd_structures)

    p = sub.add_parser(
        "partitions", help="count or list the contiguous partitions of any graph (CSV edges)"
    )
    p.add_argument("--edges", required=True, help="CSV with columns a,b")
    p.add_argument("--weights", help="CSV with columns node,weight")
    p.add_argument("--parts", type=int, required=True, help="number of parts K")
    p.add_argument("--balance", type=float, help="every part within TOL of the mean part weight")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--count", action="store_true", help="print the counts (last line)")
    mode.add_argument("--enumerate", action="store_true", help="write DIR/partitions.csv")
    p.add_argument("--out", help="output folder for --enumerate")
    p.set_defaults(func=cmd_partitions)
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
    except BrokenPipeError:
        # the reader (e.g. `| head`) closed early; nothing is wrong with the run
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stdout stays open until exit
        return 0
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in _EXTRAS:
            raise
        print(
            f"error: 'dekomopt {args.command}' needs the optional package {top}: "
            f"pip install 'dekomopt[{_EXTRAS[top]}]'",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())

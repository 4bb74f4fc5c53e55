"""A scenario changed in memory is the scenario that runs, with any number of workers or Dask."""

from __future__ import annotations

import json

import pytest

from dekomopt.simulation import simulate

SIZE = {"draws": 40, "chunk_size": 10, "seed": 5, "progress": False, "figures": False}


@pytest.fixture(scope="module")
def doubled(rogaland):
    return rogaland.with_changes(budget={"total_nok": 2 * rogaland.spec.budget.total_nok})


def test_content_hash_follows_the_content(rogaland, doubled):
    assert doubled.sha256 == rogaland.sha256  # the same file
    assert doubled.content_sha256 != rogaland.content_sha256
    same = rogaland.with_changes(budget={"total_nok": rogaland.spec.budget.total_nok})
    assert same.content_sha256 == rogaland.content_sha256


@pytest.fixture(scope="module")
def plain_run(rogaland, tmp_path_factory):
    return simulate(rogaland, tmp_path_factory.mktemp("plain"), **SIZE)


def _check_doubled(plain, run, doubled, rogaland):
    ratio = run.draws["total_nok"] / plain.draws["total_nok"]
    assert ((ratio - 2).abs() <= 1e-6).all()
    ok = run.draws["status"] == "optimal"
    assert (run.draws["allocated_nok"][ok] == run.draws["budget_nok"][ok]).all()
    assert run.draws["funding_per_fte"].mean() > 1.9 * plain.draws["funding_per_fte"].mean()
    prov = json.loads((run.out / "provenance.json").read_text())
    assert prov["scenario_content_sha256"] == doubled.content_sha256
    assert prov["scenario_sha256"] == rogaland.sha256


@pytest.mark.parametrize("workers", [1, 2])
def test_doubled_budget_runs_doubled_locally(rogaland, doubled, plain_run, tmp_path, workers):
    run = simulate(doubled, tmp_path, workers=workers, **SIZE)
    _check_doubled(plain_run, run, doubled, rogaland)


@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::DeprecationWarning", "ignore::UserWarning"
)
def test_doubled_budget_runs_doubled_on_dask(rogaland, doubled, plain_run, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        run = simulate(doubled, tmp_path, scheduler=cluster.scheduler_address, **SIZE)
    _check_doubled(plain_run, run, doubled, rogaland)

"""A real Dask cluster on loopback gives the same files as a local run."""

from __future__ import annotations

import pytest

from dekomopt.simulation import simulate

from .test_runner import assert_same_files


# Tornado/distributed may warn while the cluster shuts down (closed streams, leaked
# semaphores of the nanny processes); that is teardown noise, not a result of the run.
@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::DeprecationWarning", "ignore::UserWarning"
)
def test_dask_cluster_matches_local_run(rogaland, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    local = simulate(
        rogaland, tmp_path / "local", draws=80, chunk_size=20, seed=3, progress=False, figures=False
    )
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        dask_run = simulate(
            rogaland,
            tmp_path / "dask",
            draws=80,
            chunk_size=20,
            seed=3,
            scheduler=cluster.scheduler_address,
            progress=False,
            figures=False,
        )
    assert dask_run.provenance.scheduler.startswith("tcp://127.0.0.1")
    assert local.draws.equals(dask_run.draws)
    assert_same_files(tmp_path / "local", tmp_path / "dask")


@pytest.mark.parametrize("address", ["notanaddress", "127.0.0.1:1"])
def test_an_unreachable_scheduler_is_one_line_and_leaves_nothing(
    rogaland, tmp_path, capfd, address
):
    from dekomopt.cli import main

    out = tmp_path / "run"
    argv = ["simulate", str(rogaland.path), "--draws", "20", "--scheduler", address]
    code = main([*argv, "--connect-timeout", "2", "--out", str(out)])
    captured = capfd.readouterr()
    assert code == 2
    assert captured.err.strip().splitlines() == [
        next(line for line in captured.err.splitlines() if line.startswith("error: cannot reach"))
    ]
    assert not out.exists()

"""Render the report in headless Chromium and check that the page and the map are drawn."""

import shutil
import subprocess

import numpy as np
import pytest
from bs4 import BeautifulSoup
from matplotlib.image import imread

from dekomopt.report import write_report
from dekomopt.report.figures import region_colours

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not on PATH")
    return found


def screenshot(html_path, tmp_path, size: str) -> np.ndarray:
    """RGB pixels (0–1) of ``html_path`` rendered at ``size`` ("width,height")."""
    png = tmp_path / f"{html_path.stem}.png"
    subprocess.run(
        [
            _chromium(),
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={png}",
            f"--window-size={size}",
            html_path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return imread(png)[..., :3]


@pytest.fixture(scope="module")
def report(proposal, geography, tmp_path_factory):
    return write_report(proposal, tmp_path_factory.mktemp("browser"), "nb", geography)


def test_page_is_not_blank(report, tmp_path):
    pixels = screenshot(report, tmp_path, "1200,3000")
    assert pixels.shape[:2] == (3000, 1200)
    assert pixels.std() > 0.05
    dark = (pixels.max(axis=2) < 0.3).mean()
    assert dark > 0.005  # text and table rules


def test_map_is_drawn_with_region_colours(report, proposal, geography, tmp_path):
    figure = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser").find(id="map")
    page = tmp_path / "map.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}'
        "svg{width:800px;height:auto;display:block}</style></head>"
        f"<body>{figure}</body></html>",
        encoding="utf-8",
    )
    pixels = screenshot(page, tmp_path, "800,900")
    area = pixels[:800]
    assert area.std() > 0.1
    colours = region_colours(proposal, geography)
    for colour in {colours[r][0] for r in ("NORD", "MIDT", "SØR")}:
        rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        near = (np.abs(area - rgb).max(axis=2) < 0.03).mean()
        assert near > 0.005, colour

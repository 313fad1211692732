"""The report is one self-contained HTML file, written atomically."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import report_fixtures as fx

from corridor.errors import RunError
from corridor.report import html as report_html
from corridor.report import write_report

# shared fixtures (see report_fixtures.py for why this is not a conftest.py)
built_report = fx.built_report
other_run_dir = fx.other_run_dir
run_dir = fx.run_dir
run_factory = fx.run_factory


def _tmp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_report_is_self_contained(built_report: tuple[Path, str]) -> None:
    run_dir, text = built_report
    assert (run_dir / "report.html").read_text("utf-8") == text
    assert text.startswith("<!DOCTYPE html>")
    figures = re.findall(r"<figure><svg .*?</svg>", text, re.S)
    assert len(figures) == 6  # network map, people map, 2 time series, 2 caravan plots
    for svg in figures:
        ET.fromstring(svg.removeprefix("<figure>"))  # each is well-formed XML
        assert re.search(r"<(polyline|circle|polygon) ", svg)  # something is drawn
    assert len(set(re.findall(r'clipPath id="([^"]+)"', text))) == text.count("<clipPath")
    assert "<script" not in text.lower()
    assert "<link" not in text.lower()
    # nothing is loaded from the web: no src/url() pointing anywhere but data:
    assert not re.search(r'src="(?!data:)', text)
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", text))  # local
    assert not _tmp_files(run_dir)


def test_report_header_tables_and_escaping(built_report: tuple[Path, str]) -> None:
    _, text = built_report
    assert "<h1>tiny-caravan</h1>" in text
    assert "A &lt;small&gt; test caravan &amp; friends" in text  # description escaped
    assert "2023-12-24 – 2023-12-31 (8 days)" in text
    assert "seed 1" in text
    assert "first arrival at Mexico City" in text
    assert "day 1 (2023-12-25)" in text
    # observations: one pass (caravan size), one pass (Huixtla), one fail (Arriaga), one NA
    assert text.count('<span class="ok">yes</span>') == 2
    assert text.count('<span class="bad">no</span>') == 1
    assert "not simulated" in text
    assert "2 of 3 scored observations" in text


def test_report_overlays_compare_runs(
    run_dir: Path, other_run_dir: Path, tmp_path: Path, run_factory
) -> None:
    ens = tmp_path / "ens"
    for i, scale in enumerate([1.0, 3.0]):
        run_factory(ens / f"seed-{i}", scale=scale, observations=False)
    (ens / "ensemble.json").write_text("{}")
    out = write_report(run_dir, tmp_path / "both.html", compare_dirs=[other_run_dir, ens])
    text = out.read_text("utf-8")
    assert out.name == "both.html"
    assert "compared with <code>run-b</code>" in text  # overlaid on the plots
    assert "run-a vs run-b" in text
    assert "run-a vs ens" in text  # the ensemble: a table with median and 5–95 %
    assert text.count('<table class="compare">') == 2
    assert "+50.0 %" in text  # people_spawned 7000 -> 10500
    assert "14,000 [7,700–20,300]" in text  # median of 7000 and 21000, interval
    assert not (run_dir / "report.html").exists()


def test_report_without_caravans_or_observations(tmp_path: Path, run_factory) -> None:
    run = run_factory(tmp_path / "plain", observations=False)
    (run / "groups.parquet").unlink()
    text = write_report(run).read_text("utf-8")
    assert text.count("No caravans in this run.") == 2
    assert "no observations.csv" in text
    assert text.count("<figure><svg ") == 4


def test_user_strings_are_plain_text(tmp_path: Path, run_factory) -> None:
    """Mathtext or markup in a place name or description is shown as typed, never run."""
    run = run_factory(tmp_path / "odd")
    places = (run / "places.csv").read_text("utf-8")
    (run / "places.csv").write_text(places.replace("Huixtla", r"$\undefinedmacro$ <i>"), "utf-8")
    text = write_report(run).read_text("utf-8")
    assert r"$\undefinedmacro$ &lt;i&gt;" in text
    assert "<i>" not in text


@pytest.fixture
def quick_render(monkeypatch: pytest.MonkeyPatch) -> None:
    """Atomicity tests do not need the figures: render a stub page instead."""
    monkeypatch.setattr(report_html, "render_report", lambda *args: "<!DOCTYPE html>new")


def test_failed_write_leaves_nothing_behind(
    run_dir: Path, monkeypatch: pytest.MonkeyPatch, quick_render: None
) -> None:
    def boom(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("corridor._io.os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_report(run_dir)
    assert not (run_dir / "report.html").exists()
    assert not _tmp_files(run_dir)


def test_existing_report_is_replaced_whole(run_dir: Path, quick_render: None) -> None:
    (run_dir / "report.html").write_text("old")
    assert write_report(run_dir).read_text("utf-8") == "<!DOCTYPE html>new"
    assert not _tmp_files(run_dir)


def test_missing_folders_are_user_errors(tmp_path: Path, run_dir: Path) -> None:
    with pytest.raises(RunError):
        write_report(tmp_path / "nope")
    with pytest.raises(RunError):
        write_report(run_dir, tmp_path / "no-such-dir" / "r.html")
    with pytest.raises(RunError, match="summary.json"):
        write_report(tmp_path)  # a folder, but not a run folder


def test_overlay_note_names_runs(run_dir: Path, other_run_dir: Path) -> None:
    from corridor.report.data import RunData

    runs = [RunData.load(run_dir), RunData.load(other_run_dir)]
    note = report_html._overlay_note(runs)
    assert "run-a: '-'" in note and "run-b: '--'" in note
    assert report_html._overlay_note(runs[:1]) == ""


def test_same_run_same_report_bytes(run_dir: Path, tmp_path: Path) -> None:
    first = write_report(run_dir, tmp_path / "a.html").read_bytes()
    assert write_report(run_dir, tmp_path / "b.html").read_bytes() == first


def test_scores_from_the_reports_tables_equal_scores_read_again(run_dir: Path) -> None:
    """The report hands score_run the tables it has read: the same scores as reading them."""
    import pandas as pd

    from corridor.analysis.observations import score_run
    from corridor.report.data import RunData

    given = score_run(run_dir, tables=RunData.load(run_dir))
    assert len(given) > 0 and given["ok"].notna().any()
    pd.testing.assert_frame_equal(given, score_run(run_dir))

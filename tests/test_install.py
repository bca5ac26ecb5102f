"""A built wheel carries the configuration and data tables: it extracts from any folder, models from --models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

CLI = "import sys; from pipeline.cli import main; sys.argv[0] = 'cadregraph'; main()"


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(ROOT),
                    "-w", str(dist)], check=True, capture_output=True)
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(next(dist.glob("cadregraph-*.whl"))) as wheel:
        wheel.extractall(site)
    return site


def _run(site: Path, cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "CADREGRAPH_MODELS"}
    env = {**base, "PYTHONPATH": str(site), **(env or {})}
    return subprocess.run([sys.executable, "-c", CLI, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)


@pytest.mark.slow
def test_install_wheel_extracts_examples_from_another_folder(unpacked_wheel, tmp_path):
    probe = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"], check=True,
                           cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(unpacked_wheel)}, capture_output=True, text=True)
    assert probe.stdout.strip().startswith(str(unpacked_wheel)), "the wheel's package is the one imported"
    result = _run(unpacked_wheel, tmp_path, "extract", str(ROOT / "examples"), "-o", "out", "-q",
                  env={"CADREGRAPH_MODELS": str(ROOT / "models")})
    assert result.returncode == 0, result.stderr
    documents = sorted((tmp_path / "out" / "documents").glob("*.json"))
    assert [p.stem for p in documents] == sorted(p.stem for p in (ROOT / "examples").glob("*.txt"))
    assert all(json.loads(p.read_text(encoding="utf-8"))["entities"] for p in documents)


@pytest.mark.slow
def test_install_wheel_without_models_says_where_to_point(unpacked_wheel, tmp_path):
    result = _run(unpacked_wheel, tmp_path, "extract", str(ROOT / "examples"), "-o", "out", "-q")
    assert result.returncode == 2
    assert "--models DIR (or set CADREGRAPH_MODELS)" in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()

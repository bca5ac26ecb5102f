"""The HTML report of a run: one self-contained page (summary, graph, officials, places, documents).

``cadregraph report OUT`` writes it from an output folder; ``extract`` writes
``OUT/report.html`` at its end unless ``[report].enabled`` is false.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config, ReportConfig
from ..export import DOCUMENTS, atomic_write_text
from ..export.jsonfiles import DOCUMENTS_DIR
from .data import RUN_FILE, ReportError, build_report_data
from .html import AssetError, render_html

if TYPE_CHECKING:
    from ..batch.run import RunSummary

REPORT_FILE = "report.html"

__all__ = ["REPORT_FILE", "RUN_FILE", "AssetError", "ReportError", "ReportResult", "finish_extract", "write_report",
           "write_run_info"]


@dataclass(frozen=True)
class ReportResult:
    """A written report: where, how large (bytes), how long it took (seconds)."""

    path: Path
    size: int
    seconds: float


def write_report(out_dir: Path, target: Path | None = None, settings: ReportConfig | None = None) -> ReportResult:
    """Write the report of the output folder ``out_dir`` to ``target`` (default ``out_dir/report.html``).

    Raises:
        ReportError: ``out_dir`` is not an output folder of ``extract``.
        AssetError: pyvis (which ships vis-network) is not installed.
        OSError: the file cannot be written.
    """
    started = time.perf_counter()
    target = target or out_dir / REPORT_FILE
    data = build_report_data(out_dir, settings)
    relative = os.path.relpath(out_dir.resolve() / DOCUMENTS_DIR, target.resolve().parent)
    data["documents_href"] = Path(relative).as_posix() + "/"
    page = render_html(data, out_dir.resolve().name)
    atomic_write_text(target, page, sync=False)
    return ReportResult(target, len(page.encode("utf-8")), time.perf_counter() - started)


def write_run_info(out_dir: Path, seconds: float, documents: int, resumed: int, failed: int, chars: int) -> Path:
    """``out_dir/run.json``: when the last run ended, how long it took, what it did (for the report's summary).

    No top-level ``documents`` key: scorers that read every JSON file of a folder take that for a document list.
    """
    info = {"finished": datetime.now(UTC).isoformat(timespec="seconds"), "seconds": round(seconds, 3),
            "extracted": documents - resumed, "resumed": resumed, "failed": failed, "chars": chars}
    return atomic_write_text(out_dir / RUN_FILE, json.dumps(info, indent=1) + "\n", sync=False)


def finish_extract(out_dir: Path, config: Config, summary: RunSummary, seconds: float) -> ReportResult | None:
    """The end of an ``extract`` run: ``run.json``, then the report unless ``[report].enabled`` is false
    (or no document JSON is written).

    Args:
        seconds: the run's wall time.
    """
    write_run_info(out_dir, seconds, summary.documents, summary.resumed, len(summary.failures), summary.chars)
    if not config.report.enabled or DOCUMENTS not in config.pipeline.exporters:
        return None
    return write_report(out_dir, settings=config.report)

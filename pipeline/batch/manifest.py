"""The run manifest: which inputs an output folder already holds, by content hash and pipeline version.

``manifest.jsonl`` gets one line per finished input, appended after the
document file is in place, so a run killed at any point leaves a manifest
that never claims more than is on disk (a torn last line is ignored). At the
end of a run it is rewritten sorted by input, one line per input.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TextIO

from ..config import Config
from ..export import atomic_write_text
from ..schema import SCHEMA_VERSION
from .inputs import Failure, Task

MANIFEST_FILE = "manifest.jsonl"
_PACKAGE = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Entry:
    """One finished input: its key and content hash, the pipeline version, and its document or failure.

    ``duplicate_group`` is the smallest doc id of the document's group of duplicate articles, if it has one.
    """

    key: str
    digest: str
    version: str
    doc_id: str | None
    failure: dict | None = None
    duplicate_group: str | None = None

    def to_failure(self) -> Failure:
        assert self.failure is not None, "only for an entry that records a failure"
        return Failure(**self.failure)


def pipeline_version(config: Config) -> str:
    """The package version plus a hash of what decides a document: code, its data tables
    (``pipeline/resources``), configuration, model files."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    # Batch, duplicate and report settings change no document's extraction (groups are recomputed every run).
    digest.update(config.model_dump_json(exclude={"batch": True, "duplicates": True, "report": True,
                                                  "pipeline": {"exporters"}}).encode())
    sources = [*_PACKAGE.rglob("*.py"), *(p for p in (_PACKAGE / "resources").rglob("*") if p.is_file())]
    for source in sorted(sources):
        digest.update(str(source.relative_to(_PACKAGE)).encode() + source.read_bytes())
    for path in _model_paths(config):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.name.encode() + file.read_bytes())
    try:
        version = metadata.version("cadregraph")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"{version}+{digest.hexdigest()[:16]}"


def _model_paths(config: Config) -> list[Path]:
    values = [config.tokenize.pkuseg_model, config.tokenize.pkuseg_user_dict] if config.tokenize.segmenter == "pkuseg" \
        else []
    for _name, component in config.ordered_components():
        values += [v for v in component.settings.values() if isinstance(v, str)]
    return [Path(v) for v in values if v and Path(v).is_absolute() and Path(v).exists()]


class Manifest:
    """Entries of earlier runs (when resuming) and of this one, appended as inputs finish."""

    def __init__(self, path: Path, version: str, entries: dict[str, Entry]):
        self.path = path
        self.version = version
        self.entries = entries
        self._handle: TextIO | None = None

    @classmethod
    def open(cls, out_dir: Path, version: str, resume: bool | None = None) -> Manifest:
        """The manifest of ``out_dir``; earlier entries count only when resuming (default: when it exists)."""
        path = out_dir / MANIFEST_FILE
        resume = path.exists() if resume is None else resume
        manifest = cls(path, version, read_entries(path) if resume else {})
        manifest.compact()
        return manifest

    @property
    def resumed(self) -> bool:
        return bool(self.entries)

    def lookup(self, task: Task) -> Entry | None:
        """The entry of an input finished earlier with the same content and pipeline version."""
        entry = self.entries.get(task.key)
        if entry and entry.digest == task.digest and entry.version == self.version and entry.doc_id == task.doc_id:
            return entry
        return None

    def record(self, task: Task, failure: Failure | None = None) -> None:
        """Note a finished input; call after its document file is written."""
        entry = Entry(task.key, task.digest, self.version, task.doc_id, asdict(failure) if failure else None)
        self.entries[task.key] = entry
        if self._handle is None:
            self._handle = self.path.open("a", encoding="utf-8")
        self._handle.write(_line(entry))
        self._handle.flush()

    def set_groups(self, groups: dict[str, str]) -> None:
        """Note each document's duplicate group (``doc_id -> group``; absent: none)."""
        for key, entry in self.entries.items():
            if entry.doc_id is not None and entry.failure is None:
                self.entries[key] = replace(entry, duplicate_group=groups.get(entry.doc_id))

    def compact(self) -> None:
        """Rewrite the file atomically, one line per input, sorted."""
        self.close()
        atomic_write_text(self.path, "".join(_line(self.entries[key]) for key in sorted(self.entries)))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def read_entries(path: Path) -> dict[str, Entry]:
    """Entries of a manifest file, the last line per input winning; torn or foreign lines are skipped."""
    entries: dict[str, Entry] = {}
    if not path.exists():
        return entries
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = Entry(**json.loads(line))
        except (ValueError, TypeError):
            continue
        entries[entry.key] = entry
    return entries


def _line(entry: Entry) -> str:
    # ASCII escapes keep lone surrogates of undecodable file names writable and readable.
    return json.dumps(asdict(entry), sort_keys=True) + "\n"

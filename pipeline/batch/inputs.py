"""Batch inputs: folders, files, glob patterns and JSON Lines on stdin, turned into tasks with safe, unique ids.

A :class:`Task` carries the input's bytes (or its record: a JSON object or a
CSV row), so a worker on another machine needs no access to the input files,
and its content hash, so a resumed run can tell what changed; for local
workers a file task may stay unread until :func:`load_file` reads and hashes
it where it is extracted. Document ids come from the file stem (or, with
``ids="path"``, the path under the folder or pattern given, ``/`` written
``%2F``) or the record id (or the hash of the record's text when it has none); they are made
safe as file names, and an id seen twice (case-insensitively, for file systems
that fold case) is reported, never overwritten.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal

from ..config import IngestConfig
from ..text.ingest import HTML_SUFFIXES, IngestError, decode_bytes, scrub

RECORD_SUFFIXES = (".jsonl", ".json", ".csv")
INPUT_SUFFIXES = (".txt", *HTML_SUFFIXES, *RECORD_SUFFIXES)
STDIN = "-"
STDIN_LABEL = "<stdin>"

# Characters that may not appear in a file name on common systems, besides control and format characters.
_FORBIDDEN = set('/\\:*?"<>|')
_DOTS = re.compile(r"\.{2,}")
_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$")
_MAX_NAME_BYTES = 180  # leaves room for ".json" and the temporary-file affixes under the usual 255-byte limit


class InputError(ValueError):
    """An input names no file or folder, or matches no input file: a usage error, found before any work."""


@dataclass(frozen=True)
class Task:
    """One document to extract: where it came from, its id, its content and the content's hash."""

    key: str
    path: str
    doc_id: str
    digest: str
    kind: Literal["file", "record"]
    data: bytes = b""
    record: dict | None = None
    record_id: str | None = None


@dataclass(frozen=True)
class Failure:
    """One input that produced no document, and why (a line of ``errors.jsonl``)."""

    path: str
    record_id: str | None
    doc_id: str | None
    stage: str
    error: str
    message: str


def safe_id(raw: str, max_length: int = 100) -> str:
    """A file-name-safe document id: no separators, ``..``, control or format characters; bounded length.

    An id that had to change gets a short hash of the original, so two ids that
    clean to the same text stay distinct.
    """
    text = unicodedata.normalize("NFC", scrub(raw)[0])
    cleaned = "".join("_" if c in _FORBIDDEN or unicodedata.category(c)[0] in "CZ" else c for c in text)
    cleaned = _DOTS.sub(".", cleaned).strip("._-")
    if _WINDOWS_RESERVED.match(cleaned):
        cleaned = "_" + cleaned
    limit = max_length - 9
    if cleaned and cleaned == raw and len(raw) <= max_length and len(raw.encode("utf-8")) <= _MAX_NAME_BYTES:
        return raw
    cleaned = cleaned[:limit]
    while len(cleaned.encode("utf-8")) > _MAX_NAME_BYTES - 9:
        cleaned = cleaned[:-1]
    digest = hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else f"doc-{digest}"


class Inputs:
    """The tasks of a batch, in a deterministic order; unreadable inputs and id collisions become failures.

    Args:
        specs: folders (searched recursively for .txt, .html, .htm, .jsonl, .json, .csv),
            files, glob patterns, or ``-`` for JSON Lines on ``stdin``.
        config: field names and size limits.
        max_id_length: characters of a document id.
        stdin: the binary stream read for ``-``.
        exclude: a folder whose files are never inputs (the output folder, which may lie inside an input one).
        lazy: leave files unread (no ``data``, empty ``digest``) for :func:`load_file` to read
            where they are extracted, so worker processes share the reading and hashing.
        ids: ``stem`` (a file's id is its name without extension) or ``path`` (its path under the
            folder or the pattern's fixed part, without extension: ``2024/03/11/index`` → ``2024%2F03%2F11%2Findex``).
    """

    def __init__(self, specs: Iterable[str | Path], config: IngestConfig, max_id_length: int = 100,
                 stdin: BinaryIO | None = None, exclude: Path | None = None, lazy: bool = False,
                 ids: Literal["stem", "path"] = "stem"):
        self.lazy = lazy
        self.ids = ids
        self.specs = [str(s) for s in specs]
        self.config = config
        self.max_id_length = max_id_length
        self.stdin = stdin
        self.exclude = exclude.resolve() if exclude is not None else None

    def __iter__(self) -> Iterator[Task | Failure]:
        owners: dict[str, str] = {}
        for item in self._items():
            if isinstance(item, Failure):
                yield item
                continue
            folded = item.doc_id.casefold()
            if folded in owners:
                where = f"record {item.record_id!r} of {item.path}" if item.record_id is not None else item.path
                fix = "give the records distinct ids" if item.record_id is not None else (
                    "rename one of the inputs" + (" or use --ids path (ids from the path under the input folder)"
                                                  if self.ids == "stem" else ""))
                yield Failure(item.path, item.record_id, item.doc_id, "ingest", "IngestError",
                              f"{where}: document id {item.doc_id!r} already produced by {owners[folded]}; {fix}")
                continue
            owners[folded] = item.path if item.record_id is None else f"record {item.record_id!r} of {item.path}"
            yield item

    def check(self) -> None:
        """Raise :class:`InputError` for the first input that names nothing or matches no input file."""
        for spec in self.specs:
            path = Path(spec)
            if spec == STDIN or (path.exists() and not path.is_dir()):
                continue
            if path.is_dir():
                problem = f"no input files ({' '.join(INPUT_SUFFIXES)}) in the folder"
            elif glob.has_magic(spec):
                problem = "the pattern matches no input file"
            else:
                raise InputError(f"input {spec!r}: no such file or folder; check the path (nothing was changed)")
            if next(self._spec_paths(spec), None) is None:
                raise InputError(f"input {spec!r}: {problem}; check the path (nothing was changed)")

    def paths(self) -> Iterator[Path | str]:
        """Every input file (or ``-``), sorted within each folder or pattern, as given otherwise."""
        for spec in self.specs:
            for path, _ in self._spec_paths(spec):
                yield path

    def _spec_paths(self, spec: str) -> Iterator[tuple[Path | str, Path | None]]:
        """The input files of one spec, each with the folder its ``--ids path`` id is relative to."""
        path = Path(spec)
        if spec == STDIN:
            yield STDIN, None
        elif path.is_dir():
            # Only a folder that holds the output folder, or a symlink, can lead into it.
            nested = self.exclude is not None and self.exclude.is_relative_to(path.resolve())
            yield from ((p, path) for p in sorted(path.rglob("*"))
                        if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                        and not ((nested or p.is_symlink()) and self._excluded(p)))
        elif not path.exists() and glob.has_magic(spec):
            root = _fixed_part(spec)
            for match in sorted(glob.glob(spec, recursive=True)):
                found = Path(match)
                if found.is_dir():
                    yield from ((p, root) for p, _ in self._spec_paths(match))
                elif found.suffix.lower() in INPUT_SUFFIXES and not self._excluded(found):
                    yield found, root
        else:  # a missing file fails as an input of its own unless check() stopped the run first
            yield path, path.parent

    def _excluded(self, path: Path) -> bool:
        return self.exclude is not None and path.resolve().is_relative_to(self.exclude)

    def estimate(self) -> int | None:
        """How many documents the inputs hold (lines of JSON Lines and CSV files counted), or None with stdin."""
        total = 0
        for path in self.paths():
            if isinstance(path, str):  # STDIN, the one input that is not a Path
                return None
            if path.suffix.lower() in (".jsonl", ".csv"):  # a CSV's header row is not a record
                try:
                    with path.open("rb") as handle:
                        total += sum(1 for line in handle if line.strip()) - (path.suffix.lower() == ".csv")
                except OSError:
                    total += 1
            else:
                total += 1
        return total

    def _items(self) -> Iterator[Task | Failure]:
        seen: set[Path] = set()
        for path, root in ((p, r) for spec in self.specs for p, r in self._spec_paths(spec)):
            if isinstance(path, str):  # STDIN
                if self.stdin is not None:
                    yield from self._lines(self.stdin, STDIN_LABEL, "stdin")
                continue
            resolved = path.resolve()
            if resolved in seen:  # the same file reached twice (a folder and a pattern)
                continue
            seen.add(resolved)
            if path.suffix.lower() == ".jsonl":
                yield from self._jsonl(path, str(resolved))
            elif path.suffix.lower() == ".json":
                yield from self._json(path, str(resolved))
            elif path.suffix.lower() == ".csv":
                yield from self._csv(path, str(resolved))
            else:
                yield self._file(path, str(resolved), root)

    def _file(self, path: Path, key: str, root: Path | None = None) -> Task | Failure:
        raw = path_id(path, root) if self.ids == "path" and root is not None else path.stem
        task = Task(key=key, path=str(path), doc_id=safe_id(raw, self.max_id_length), digest="", kind="file")
        if self.lazy:
            return task
        try:
            return load_file(task, self.config)
        except (IngestError, OSError) as err:
            return failure_of(str(path), None, None, "ingest", err)

    def _jsonl(self, path: Path, key: str) -> Iterator[Task | Failure]:
        try:
            with path.open("rb") as handle:
                yield from self._lines(handle, str(path), key)
        except OSError as err:
            yield failure_of(str(path), None, None, "ingest", err)

    def _lines(self, handle: BinaryIO, label: str, key: str) -> Iterator[Task | Failure]:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{label}:{number}"
            if len(line) > self.config.max_bytes:
                yield failure_of(label, None, None, "ingest", IngestError(
                    f"{where}: {len(line):,} bytes, above the limit of {self.config.max_bytes:,} (ingest.max_bytes)"))
                continue
            try:
                record = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
            except (UnicodeDecodeError, ValueError) as err:
                yield failure_of(label, None, None, "ingest", IngestError(f"{where}: not a UTF-8 JSON line ({err})"))
                continue
            yield self._record(record, label, key, where)

    def _json(self, path: Path, key: str) -> Iterator[Task | Failure]:
        try:
            data = json.loads(read_limited(path, self.config.max_bytes).decode("utf-8-sig"))
        except (IngestError, OSError) as err:
            yield failure_of(str(path), None, None, "ingest", err)
            return
        except (UnicodeDecodeError, ValueError) as err:
            yield failure_of(str(path), None, None, "ingest", IngestError(f"{path}: not UTF-8 JSON ({err})"))
            return
        records = data if isinstance(data, list) else [data]
        for number, record in enumerate(records, 1):
            yield self._record(record, str(path), key, f"{path}[{number}]")

    def _csv(self, path: Path, key: str) -> Iterator[Task | Failure]:
        """Rows of a CSV file with a header row, each a record; its encoding is detected like an article's."""
        try:
            text, _ = decode_bytes(read_limited(path, self.config.max_bytes), str(path), self.config.encodings)
        except (IngestError, OSError) as err:
            yield failure_of(str(path), None, None, "ingest", err)
            return
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        try:
            for row in reader:
                record = {k: v for k, v in row.items() if isinstance(k, str)}  # cells beyond the header are dropped
                yield self._record(record, str(path), key, f"{path}:{reader.line_num}")
        except csv.Error as err:
            yield failure_of(str(path), None, None, "ingest",
                             IngestError(f"{path}:{reader.line_num}: not valid CSV ({err})"))

    def _record(self, record: object, label: str, key: str, where: str) -> Task | Failure:
        if not isinstance(record, dict):
            return failure_of(label, None, None, "ingest", IngestError(f"{where}: a record must be a JSON object, "
                                                           f"not {type(record).__name__}"))
        raw_id = record.get(self.config.id_field)
        digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode("ascii")).hexdigest()
        if raw_id is None or isinstance(raw_id, (dict, list)) or str(raw_id) == "":
            text = json.dumps(record.get(self.config.text_field), sort_keys=True).encode("ascii")
            doc_id, record_id = "sha-" + hashlib.sha256(text).hexdigest()[:16], None
        else:
            record_id = scrub(str(raw_id))[0]
            doc_id = safe_id(str(raw_id), self.max_id_length)
        return Task(key=f"{key}#{record_id if record_id is not None else doc_id}", path=label, doc_id=doc_id,
                    digest=digest, kind="record", record=record, record_id=record_id)


def path_id(path: Path, root: Path) -> str:
    """A file's id from its path under ``root`` without extension, ``%`` and ``/`` percent-encoded (reversible)."""
    try:
        relative = path.with_suffix("").relative_to(root)
    except ValueError:  # reached through a symlink or ``..``: the name alone
        relative = Path(path.stem)
    return "%2F".join(part.replace("%", "%25") for part in relative.parts)


def _fixed_part(pattern: str) -> Path:
    """The folder a glob pattern starts from: its leading parts without wildcards."""
    parts = []
    for part in Path(pattern).parts[:-1]:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def load_file(task: Task, config: IngestConfig) -> Task:
    """A file task with its bytes and their hash (a no-op for a task that has them).

    Raises:
        IngestError: the file is larger than ``config.max_bytes``.
        OSError: it cannot be read.
    """
    if task.kind != "file" or task.digest:
        return task
    data = read_limited(Path(task.path), config.max_bytes)
    return replace(task, data=data, digest=hashlib.sha256(data).hexdigest())


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file no larger than ``max_bytes`` (``ingest.max_bytes``), else an IngestError."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"{path}: {size:,} bytes, above the limit of {max_bytes:,} "
                          "(ingest.max_bytes); split it or raise the limit")
    return path.read_bytes()


def where_of(path: str, record_id: str | None) -> str:
    """An input as messages name it: the path, and the record of a record file."""
    return path if record_id is None else f"{path} (record {record_id!r})"


def failure_of(path: str, record_id: str | None, doc_id: str | None, stage: str, err: Exception) -> Failure:
    """The failure record of an input (or one record of it), its message naming the input."""
    where = where_of(path, record_id)
    message = str(err) if path in str(err) else f"{where}: {err}"
    return Failure(path, record_id, doc_id, stage, type(err).__name__, message)

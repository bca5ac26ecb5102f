"""The batch engines by name, for ``--engine``: how each is built and what it needs of the run.

An engine is a context manager whose ``run(tasks)`` yields one
:class:`~pipeline.batch.engines.Result` per task. Modules an engine needs
(dask for ``dask``) load only when that engine is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..config import Config, ConfigError

if TYPE_CHECKING:
    from ..extractor import Extractor
    from .engines import Result
    from .inputs import Task

DOCS_PER_WORKER = 10  # below this many documents per worker a default run starts fewer workers
MAX_CHUNK = 8  # documents sent to a worker at a time; fewer when a batch is small, so the workers stay even


class Engine(Protocol):
    def __enter__(self) -> Any: ...

    def __exit__(self, exc_type: Any, *exc: object) -> None: ...

    def run(self, tasks: Iterable[Task]) -> Iterator[Result]: ...


@dataclass(frozen=True)
class EngineRequest:
    """What a run asks of its engine."""

    config: Config
    workers: int  # worker processes this machine may use
    requested: bool  # whether the worker count was asked for (else small batches use fewer)
    total: int | None  # documents expected, when known
    extractor: Extractor | None = None  # a pipeline already built in this process
    documents_to: Path | None = None  # where engines that write document JSON themselves put it
    scheduler: str | None = None
    min_confidence: float = 0.0


@dataclass(frozen=True)
class EngineKind:
    """One engine: its builder and what the run around it must know."""

    build: Callable[[EngineRequest], Engine]
    help: str
    # Runs on this machine: its workers read the input files themselves (else the run sends their bytes),
    # and the corpus exports may use as many processes as it has workers.
    local: bool
    needs_scheduler: bool = False


def _local(request: EngineRequest) -> Engine:
    """This process for small batches or a given pipeline, else worker processes."""
    from .engines import InProcessEngine, ProcessEngine  # noqa: PLC0415

    workers, total = request.workers, request.total
    if total is not None:
        # Starting a worker costs seconds: unless a count was asked for, small batches use fewer.
        workers = min(workers, total if request.requested else -(-total // DOCS_PER_WORKER))
    if request.extractor is not None or workers <= 1:
        return InProcessEngine(request.config, request.extractor, request.documents_to,
                               min_confidence=request.min_confidence)
    chunk = MAX_CHUNK if total is None else min(MAX_CHUNK, total // (workers * MAX_CHUNK))
    return ProcessEngine(request.config, workers, request.documents_to, chunk=chunk,
                         min_confidence=request.min_confidence)


def _dask(request: EngineRequest) -> Engine:
    if not request.scheduler:
        raise ConfigError("--engine dask needs --scheduler ADDRESS (a dask.distributed scheduler)")
    from .dask_engine import DaskEngine  # noqa: PLC0415 - dask loads only for this engine

    return DaskEngine(request.config, request.scheduler, min_confidence=request.min_confidence)


ENGINES: dict[str, EngineKind] = {
    "local": EngineKind(_local, "processes on this machine", local=True),
    "dask": EngineKind(_dask, "tasks on a dask.distributed cluster (--scheduler ADDRESS)", local=False,
                       needs_scheduler=True),
}


def engine_kind(name: str, scheduler: str | None = None) -> EngineKind:
    """The engine registered as ``name``, checked against the scheduler address given with it.

    Raises:
        ConfigError: no engine has that name, or a scheduler goes with an engine that uses none.
    """
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
    if scheduler and not ENGINES[name].needs_scheduler:
        scheduled = [n for n, kind in ENGINES.items() if kind.needs_scheduler]
        raise ConfigError(f"--scheduler goes with an engine that uses one ({', '.join(scheduled)}), not {name!r}")
    return ENGINES[name]


"""The dask engine: per-document stages on a dask.distributed cluster, results back to this process.

Imported only for ``--engine dask``; workers import this module to unpickle the plugin.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, cast

from distributed import Client, WorkerPlugin, as_completed, get_worker

from ..config import Config, ConfigError
from .engines import Result, process_task, task_failure
from ..extractor import Extractor
from .inputs import Task

if TYPE_CHECKING:
    from dask.typing import Key

PLUGIN = "cadregraph-extractor"


class ExtractorPlugin(WorkerPlugin):
    """Holds one pipeline per worker thread, built on first use (a pipeline is not shared between threads)."""

    def __init__(self, config: Config, min_confidence: float = 0.0):
        self.config = config
        self.min_confidence = min_confidence
        self.local: threading.local | None = None

    def __getstate__(self) -> dict:
        return {"config": self.config, "min_confidence": self.min_confidence}

    def __setstate__(self, state: dict) -> None:
        self.config, self.min_confidence, self.local = state["config"], state.get("min_confidence", 0.0), None

    def setup(self, worker) -> None:
        self.local = threading.local()

    def extractor(self) -> Extractor:
        assert self.local is not None, "the worker calls setup() first"
        if getattr(self.local, "extractor", None) is None:
            self.local.extractor = Extractor(self.config)
        return self.local.extractor

    def process(self, task: Task) -> Result:
        return process_task(task, self.extractor(), self.config, min_confidence=self.min_confidence)


def _process_on_worker(task: Task) -> Result:
    return cast(ExtractorPlugin, get_worker().plugins[PLUGIN]).process(task)


def _check_on_worker() -> str | None:
    """Build the pipeline on a worker; the error message when the configuration cannot be used."""
    try:
        cast(ExtractorPlugin, get_worker().plugins[PLUGIN]).extractor()
    except Exception as err:  # reported back as a configuration error
        return f"{type(err).__name__}: {err}"
    return None


class DaskEngine:
    """Tasks on a dask.distributed cluster, with at most ``window`` tasks per worker thread in flight.

    The time budget is not enforced there: worker threads cannot take signals.

    Raises:
        ConfigError: the scheduler cannot be reached or a worker cannot build the pipeline.
    """

    def __init__(self, config: Config, address: str, window: int = 4, min_confidence: float = 0.0):
        self.config = config
        self.min_confidence = min_confidence
        self.address = address
        self.window = window
        self.client: Client | None = None

    def __enter__(self) -> DaskEngine:
        try:
            self.client = Client(self.address, set_as_default=False, timeout="20s")
        except OSError as err:
            raise ConfigError(f"cannot reach the dask scheduler at {self.address}: {err}") from err
        self.client.register_plugin(ExtractorPlugin(self.config, self.min_confidence), name=PLUGIN)
        problem = self.client.submit(_check_on_worker, pure=False).result()
        if problem:
            self.client.close()
            raise ConfigError(problem)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()

    def run(self, tasks: Iterable[Task]) -> Iterator[Result]:
        assert self.client is not None, "the engine runs inside its with block"
        threads = sum(self.client.nthreads().values()) or 1
        source = iter(tasks)
        pending: dict[Key, Task] = {}
        done = as_completed(loop=self.client.loop)
        for task in _take(source, self.window * threads):
            done.add(self._submit(task, pending))
        for future in done:
            task = pending.pop(future.key)
            try:
                result = future.result()
            except Exception as err:  # the worker died or the result could not travel back
                result = Result(task, failure=task_failure(task, "worker", err))
            future.release()
            yield result
            for task in _take(source, 1):
                done.add(self._submit(task, pending))

    def _submit(self, task: Task, pending: dict[Key, Task]):
        assert self.client is not None, "the engine runs inside its with block"
        future = self.client.submit(_process_on_worker, task, pure=False)
        pending[future.key] = task
        return future


def _take(source: Iterator[Task], n: int) -> list[Task]:
    out: list[Task] = []
    for task in source:
        out.append(task)
        if len(out) >= n:
            break
    return out

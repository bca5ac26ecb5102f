"""Engines: run the per-document stages (ingest, extraction, validation) on tasks and yield their results.

- :class:`InProcessEngine`: one pipeline in this process.
- :class:`ProcessEngine`: worker processes, each building the pipeline once; a
  worker that dies takes only the document it was on with it.
- :class:`~pipeline.batch.dask_engine.DaskEngine`: tasks on a dask.distributed
  cluster, one pipeline per worker thread.

Every engine turns a :class:`~pipeline.batch.inputs.Task` into a :class:`Result`
with :func:`process_task`, so their outputs are the same; only the order of
results differs, and the batch sorts what it writes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import count, islice
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..config import Config, ConfigError
from ..confidence import filter_document
from ..export.jsonfiles import document_json, write_document
from ..text.ingest import HTML_SUFFIXES, Article, bytes_article, record_article
from ..corpus.graph import GraphRecord, with_node_keys
from .inputs import Failure, Task, failure_of, load_file, where_of

if TYPE_CHECKING:  # spaCy (and with it torch) loads only where documents are extracted, not in a coordinator
    from multiprocessing.queues import Queue

    from ..extractor import Extractor
    from ..schema import Document

PREFETCH = 2  # chunks queued per worker process, so a worker never waits for the main process
TOGETHER = 16  # tasks the in-process engine extracts together (the tagger batches their sentences)


class DocumentTimeout(TimeoutError):
    """A document took longer than ``batch.doc_timeout``."""


class _SharedBudgetSpent(BaseException):
    """Tasks extracted together took longer than one document's budget (no stage may catch it)."""


@dataclass
class Result:
    """What became of one task: the document's corpus graph record or a failure.

    ``document_json`` is the full document unless the engine already wrote it to disk.
    """

    task: Task
    document_json: str | None = None
    record: GraphRecord | None = None
    failure: Failure | None = None
    chars: int = 0


def process_task(task: Task, extractor: Extractor, config: Config, budget: bool = False,
                 documents_to: Path | None = None, min_confidence: float = 0.0) -> Result:
    """Ingest and extract one task; every error becomes a :class:`Failure` naming its stage.

    Args:
        budget: enforce ``batch.doc_timeout`` with SIGALRM (only in a process's main thread).
        documents_to: write the document JSON (atomically, unsynced) into this output folder
            instead of returning it.
        min_confidence: leave out entities and relations below this confidence (and an entity's relations).
    """
    from ..extractor import StageError  # noqa: PLC0415 - loaded with the extractor

    stage = "ingest"
    try:
        task = load_file(task, config.ingest)
    except Exception as err:  # unreadable or too large
        return Result(_light(task), failure=task_failure(task, stage, err))
    light = _light(task)
    try:
        with _time_budget(config.batch.doc_timeout if budget else 0):
            article = ingest_task(task, config)
            stage = "extract"
            document = extractor(article)
            stage = "emit"
            return _document_result(light, document, config, documents_to, min_confidence)
    except StageError as err:
        return Result(light, failure=task_failure(task, err.stage, err.error))
    except Exception as err:  # one document's error, whatever it is, must not stop the batch
        return Result(light, failure=task_failure(task, stage, err))


def process_tasks(tasks: list[Task], extractor: Extractor, config: Config, budget: bool = False,
                  documents_to: Path | None = None, min_confidence: float = 0.0) -> Iterator[Result]:
    """The results of :func:`process_task` for each task, their documents extracted together by ``extractor.pipe``.

    With ``budget`` the tasks share one document's time budget. When it runs
    out, or something fails them all, or the extractor has no ``pipe``, each
    task runs alone under its own budget.
    """
    if len(tasks) > 1 and hasattr(extractor, "pipe"):
        try:
            with _time_budget(config.batch.doc_timeout if budget else 0, _SharedBudgetSpent):
                results = _process_together(tasks, extractor, config, documents_to, min_confidence)
        except (Exception, _SharedBudgetSpent):
            results = None
        if results is not None:
            yield from results
            return
    for task in tasks:
        yield process_task(task, extractor, config, budget, documents_to, min_confidence)


def _process_together(tasks: list[Task], extractor: Extractor, config: Config, documents_to: Path | None,
                      min_confidence: float) -> list[Result]:
    from ..extractor import StageError  # noqa: PLC0415 - loaded with the extractor

    results: list[Result | None] = []
    waiting: list[tuple[int, Task, Article]] = []
    for task in tasks:
        try:
            task = load_file(task, config.ingest)
            waiting.append((len(results), task, ingest_task(task, config)))
            results.append(None)
        except Exception as err:  # unreadable, too large or no article
            results.append(Result(_light(task), failure=task_failure(task, "ingest", err)))
    for (slot, task, _), outcome in zip(waiting, extractor.pipe([a for _, _, a in waiting]), strict=True):
        light = _light(task)
        if isinstance(outcome, StageError):
            results[slot] = Result(light, failure=task_failure(task, outcome.stage, outcome.error))
            continue
        try:
            results[slot] = _document_result(light, outcome, config, documents_to, min_confidence)
        except Exception as err:  # one document's error, whatever it is, must not stop the batch
            results[slot] = Result(light, failure=task_failure(task, "emit", err))
    done = [result for result in results if result is not None]
    assert len(done) == len(results), "every task has its result"
    return done


def _document_result(light: Task, document: Document, config: Config, documents_to: Path | None,
                     min_confidence: float) -> Result:
    """The result of an extracted document: filtered, keyed, and written to ``documents_to`` or kept as JSON."""
    document = with_node_keys(filter_document(document, min_confidence))
    if documents_to is None:
        text = document_json(document)
    else:
        write_document(document, documents_to, sync=False)
        text = None
    return Result(light, document_json=text, record=GraphRecord.of(document, config.duplicates),
                  chars=len(document.text))


def _light(task: Task) -> Task:
    """The task without its content, to send back and record."""
    return Task(task.key, task.path, task.doc_id, task.digest, task.kind, record_id=task.record_id)


def ingest_task(task: Task, config: Config) -> Article:
    """The cleaned article of a task (a file's bytes or a JSON record)."""
    if task.kind == "record":
        article = record_article(task.record or {}, task.doc_id, where_of(task.path, task.record_id), config.ingest)
        article.metadata.source_path = task.path
        article.metadata.record_id = task.record_id
        return article
    html = task.path.lower().endswith(HTML_SUFFIXES)
    return bytes_article(task.data, task.doc_id, task.path, config.ingest, html=html)


def task_failure(task: Task, stage: str, err: Exception) -> Failure:
    """The failure record of a task, its message naming the input."""
    return failure_of(task.path, task.record_id, task.doc_id, stage, err)


@contextlib.contextmanager
def _time_budget(seconds: float, error: type[BaseException] = DocumentTimeout) -> Iterator[None]:
    """Raise ``error`` in the body after ``seconds`` (0: no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise error(f"took longer than {seconds:g} s (batch.doc_timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class InProcessEngine:
    """One pipeline in this process; the time budget applies when running in the main thread."""

    def __init__(self, config: Config, extractor: Extractor | None = None, documents_to: Path | None = None,
                 min_confidence: float = 0.0):
        from ..extractor import Extractor  # noqa: PLC0415

        self.config = config
        self.extractor = extractor or Extractor(config)
        self.documents_to = documents_to
        self.min_confidence = min_confidence

    def __enter__(self) -> InProcessEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, tasks: Iterable[Task]) -> Iterator[Result]:
        source = iter(tasks)
        while chunk := list(islice(source, TOGETHER)):
            yield from process_tasks(chunk, self.extractor, self.config, budget=True, documents_to=self.documents_to,
                                     min_confidence=self.min_confidence)


def _worker_main(config: Config, inbox, results, parent: int, documents_to: Path | None,
                 min_confidence: float = 0.0) -> None:
    """A worker process: build the pipeline once, then process chunks of tasks until told to stop or orphaned.

    It answers each chunk with one message on its own ``results`` pipe, so a
    worker killed mid-message (the out-of-memory killer) damages only its own
    channel, never a lock the others share. Sends are synchronous, so it can
    leave with ``os._exit`` at once: tearing down an interpreter that holds
    spaCy and torch takes longer than the last documents.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    try:
        from ..extractor import Extractor  # noqa: PLC0415

        extractor = Extractor(config)
    except Exception as err:  # reported to the main process, which stops the run
        results.send(("fatal", f"{type(err).__name__}: {err}"))
        return
    results.send(("ready", None))
    while True:
        try:
            chunk = inbox.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:  # orphaned: results nobody reads must not keep the process alive
                os._exit(0)
            continue
        if chunk is None:
            os._exit(0)
        done = list(process_tasks(chunk, extractor, config, budget=True, documents_to=documents_to,
                                  min_confidence=min_confidence))
        try:
            results.send(("done", done))
        except OSError:  # the main process is gone
            os._exit(0)


@dataclass
class _Worker:
    """A worker process, the queue that feeds it, the chunks it holds and the pipe it answers on."""

    process: BaseProcess
    inbox: Queue[list[Task] | None]  # task chunks; None asks the worker to stop
    pending: deque[list[Task]]
    results: Connection


class ProcessEngine:
    """Worker processes (spawned, so no state leaks in from this one), each with its own pipeline.

    Tasks go out in chunks of ``chunk`` and come back as one message per
    chunk, which keeps the main process nearly idle. Workers start with the
    first task, so a run with nothing left to do starts none.

    Raises:
        ConfigError: a worker could not build the pipeline.
    """

    def __init__(self, config: Config, workers: int, documents_to: Path | None = None, chunk: int = 1,
                 min_confidence: float = 0.0):
        self.config = config
        self.min_confidence = min_confidence
        self.size = workers
        self.documents_to = documents_to
        self.chunk = max(1, chunk)
        self.context = multiprocessing.get_context("spawn")
        self.workers: dict[int, _Worker] = {}
        self.ids = count()

    def __enter__(self) -> ProcessEngine:
        return self

    def _start_all(self) -> None:
        for _ in range(self.size):
            self._start()
        ready = 0
        while ready < self.size:
            messages = self._receive(timeout=1.0)
            if not messages:
                dead = [w.process.exitcode for w in self.workers.values() if w.process.exitcode is not None]
                if dead:
                    raise ConfigError(f"a worker process died while building the pipeline (exit code {dead[0]})")
            for _, kind, payload in messages:
                if kind == "fatal":
                    raise ConfigError(payload)
                ready += kind == "ready"

    def __exit__(self, exc_type, *exc: object) -> None:
        for worker in self.workers.values():
            if exc_type is None and worker.process.is_alive():
                worker.inbox.put(None)
        for worker in self.workers.values():
            worker.process.join(timeout=5 if exc_type is None else 0.1)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
            worker.results.close()
        self.workers.clear()

    def run(self, tasks: Iterable[Task]) -> Iterator[Result]:
        source = iter(tasks)
        first = next(source, None)
        if first is None:
            return
        self._start_all()
        retry: deque[Task] = deque([first])
        exhausted = False
        while True:
            for worker in self.workers.values():
                while len(worker.pending) < PREFETCH and not exhausted:
                    chunk = self._next_chunk(source, retry)
                    if not chunk:
                        exhausted = True
                        break
                    worker.pending.append(chunk)
                    worker.inbox.put(chunk)
            if exhausted and not any(w.pending for w in self.workers.values()):
                return
            messages = self._receive(timeout=0.5)
            if not messages:
                yield from self._reap(retry)
                exhausted = exhausted and not retry
                continue
            for worker_id, kind, payload in messages:
                if kind == "fatal":
                    raise ConfigError(payload)
                if kind == "done" and worker_id in self.workers:  # else its worker was reaped and the tasks settled
                    self.workers[worker_id].pending.popleft()
                    yield from payload

    def _next_chunk(self, source: Iterator[Task], retry: deque[Task]) -> list[Task]:
        """Up to ``chunk`` new tasks; a task retried after a worker died goes alone, to tell which one kills it."""
        if retry:
            return [retry.popleft()]
        return list(islice(source, self.chunk))

    def _start(self) -> None:
        worker_id = next(self.ids)
        inbox = self.context.Queue()
        results, writer = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_worker_main, name=f"cadregraph-worker-{worker_id}", daemon=True,
                                       args=(self.config, inbox, writer, os.getpid(), self.documents_to,
                                             self.min_confidence))
        process.start()
        writer.close()  # the worker holds the only writing end, so its death reads as end of file
        self.workers[worker_id] = _Worker(process, inbox, deque(), results)

    def _receive(self, timeout: float) -> list[tuple[int, str, Any]]:
        """Messages ``(worker id, kind, payload)`` from every worker with one ready, waiting up to ``timeout``."""
        by_channel = {worker.results: worker_id for worker_id, worker in self.workers.items()}
        messages = []
        for channel in cast("list[Connection]", wait(list(by_channel), timeout)):  # the ready ones of those given
            worker_id = by_channel[channel]
            try:
                kind, payload = channel.recv()
            except (EOFError, OSError, pickle.UnpicklingError):  # it died, perhaps mid-message: _reap settles it
                self.workers[worker_id].process.join(timeout=1.0)
                continue
            messages.append((worker_id, kind, payload))
        return messages

    def _reap(self, retry: deque[Task]) -> Iterator[Result]:
        """Replace dead workers: a lone task a worker died on fails, every other task it held is retried alone."""
        for worker_id, worker in list(self.workers.items()):
            if worker.process.exitcode is None:
                continue
            del self.workers[worker_id]
            worker.results.close()
            pending = worker.pending
            if pending and len(pending[0]) == 1:
                task = pending.popleft()[0]
                crash = RuntimeError(f"the worker process died (exit code {worker.process.exitcode}) on this document")
                yield Result(task, failure=task_failure(task, "worker", crash))
            retry.extend(task for chunk in pending for task in chunk)
            self._start()

"""The Dask engine: batches scored on the workers of a Dask cluster.

Reviews are read on the client from the store, in the batches ``analyze``
gives; each batch is submitted to a worker, scored there with an
:class:`~reelsense.analysis.scoring.Analyzer` loaded once per worker, and the
rows come back to the client, which writes them to the store as batches
complete. Only ``in_flight`` batches per worker are out at a time, so memory
stays flat whatever the corpus size.

How the model reaches the workers
---------------------------------
The model is given to every worker once per run by a worker plugin, which
loads the ``Analyzer`` in the worker's ``setup`` and is unregistered at the end:

- on a ``LocalCluster`` (the default) the workers share this machine's file
  system, so the plugin carries only the model *path* and each worker loads
  the bundle from it (0.2 s, nothing sent over the wire);
- on a remote scheduler the plugin carries the bundle's *files* (about 25 MB
  for the shipped model: ``model.json``, ``arrays.npz``, ``aspects.*``); each
  worker writes them into its own scratch directory and loads them with the
  same safe loader (JSON + ``.npz``, never a pickled model). Workers need
  reelsense installed (same version as the client), not the model path.
  Pickling the loaded ``Analyzer`` instead would send 43 MB and a pickled
  model, so the files are shipped. ``ship_model=False`` skips the copy when
  the path exists on every worker (a shared file system).
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

from reelsense.analysis.scoring import Analyzer, ScoredBatch
from reelsense.errors import ConfigError
from reelsense.store.base import StoredReview

try:
    import distributed
except ImportError as exc:  # pragma: no cover - exercised with dask absent
    raise ConfigError("the Dask engine needs dask: pip install 'reelsense[dask]'") from exc

logger = logging.getLogger(__name__)


class _AnalyzerPlugin(distributed.WorkerPlugin):
    """Loads one Analyzer per worker: from a path, or from shipped bundle files."""

    def __init__(self, model_dir: str, files: dict[str, bytes] | None, aspects: bool) -> None:
        self.model_dir = model_dir
        self.files = files
        self.aspects = aspects
        self.copy_dir: Path | None = None
        self.analyzer: Analyzer | None = None

    def setup(self, worker: distributed.Worker) -> None:
        directory = Path(self.model_dir)
        if self.files is not None:
            directory = Path(worker.local_directory) / f"reelsense-model-{uuid.uuid4().hex}"
            directory.mkdir(parents=True)
            for name, data in self.files.items():
                (directory / name).write_bytes(data)
            self.copy_dir = directory
            self.files = None  # the copy on disk is enough; free the bytes
        self.analyzer = Analyzer.load(directory, aspects=self.aspects)

    def teardown(self, worker: distributed.Worker) -> None:
        self.analyzer = None
        if self.copy_dir is not None:
            shutil.rmtree(self.copy_dir, ignore_errors=True)


def _score_on_worker(plugin_name: str, batch: list[StoredReview]) -> ScoredBatch:
    """The task: score one batch with this worker's Analyzer."""
    plugin = distributed.get_worker().plugins[plugin_name]
    assert isinstance(plugin, _AnalyzerPlugin) and plugin.analyzer is not None
    return plugin.analyzer.score(batch)


def _bundle_files(model_dir: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(model_dir.iterdir()) if p.is_file()}
    if not files:
        raise ConfigError(f"{model_dir}: no model files to send to the workers")
    return files


def check_cluster_options(scheduler: str | None, workers: int | None, in_flight: int) -> None:
    """Raise :class:`ConfigError` for options no Dask run can honour (both engines check
    them before starting anything)."""
    if workers is not None and workers < 1:
        raise ConfigError(f"workers must be 1 or more, not {workers}")
    if scheduler is not None and workers is not None:
        raise ConfigError(
            "--workers sets the size of a local Dask cluster; with --scheduler, "
            "start as many workers as wanted on the cluster itself"
        )
    if in_flight < 1:
        raise ConfigError(f"in_flight must be 1 or more, not {in_flight}")
    if scheduler is not None and "://" not in scheduler:
        raise ConfigError(f"scheduler {scheduler!r} is not an address like tcp://host:8786")


def connect(
    stack: ExitStack,
    *,
    scheduler: str | None,
    workers: int | None,
    threads_per_worker: int = 1,
    connect_timeout: float = 10.0,
) -> distributed.Client:
    """A client of ``scheduler``, or of a new ``LocalCluster``; ``stack`` closes both.

    Parameters
    ----------
    stack:
        Closes the client (and the ``LocalCluster`` started here) on exit.
    scheduler:
        ``"tcp://host:port"`` of a running scheduler, or ``None`` for a
        ``LocalCluster`` of ``workers`` processes (default: every core).
    workers, threads_per_worker:
        The ``LocalCluster``'s size.
    connect_timeout:
        Seconds to wait for ``scheduler``.

    Returns
    -------
    distributed.Client

    Raises
    ------
    ConfigError
        The scheduler cannot be reached.

    Example
    -------
    >>> with ExitStack() as stack:  # doctest: +SKIP
    ...     client = connect(stack, scheduler=None, workers=2)
    """
    if scheduler is None:
        cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=threads_per_worker,
            processes=True,
            dashboard_address=None,
            # no dashboard; its small HTTP server (/health) on a free port, not 8787
            scheduler_kwargs={"dashboard_address": ":0"},
            # distributed's INFO logs only when reelsense's are wanted (--verbose)
            silence_logs=False if logger.isEnabledFor(logging.INFO) else logging.WARNING,
        )
        stack.enter_context(cluster)
        local: distributed.Client = distributed.Client(cluster)  # type: ignore[no-untyped-call]
        stack.enter_context(local)
        return local
    try:
        client: distributed.Client = distributed.Client(  # type: ignore[no-untyped-call]
            scheduler, timeout=connect_timeout
        )
    except OSError as exc:
        raise ConfigError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    stack.enter_context(client)
    return client


class DaskEngine:
    """Scores batches on a Dask cluster: a private ``LocalCluster`` or a scheduler.

    Parameters
    ----------
    model_dir:
        The model directory to load (see the module docstring for how it
        reaches the workers).
    aspects:
        Score aspect sentiment too, when the bundle has an aspect model.
    scheduler:
        ``None`` starts a ``LocalCluster`` of worker processes for each
        :meth:`score` call and closes it afterwards; ``"tcp://host:port"``
        connects to a running scheduler (only the client is closed).
    workers:
        Worker processes of the ``LocalCluster`` (default: every core);
        must be ``None`` with ``scheduler``, whose cluster has its own.
    threads_per_worker:
        Threads per ``LocalCluster`` worker.
    in_flight:
        Batches out per worker at a time; bounds memory on both sides.
    ship_model:
        Send the bundle files to the workers; ``None`` means yes with a
        scheduler, no with a ``LocalCluster`` (same file system).
    connect_timeout:
        Seconds to wait for ``scheduler`` before giving up.

    Raises
    ------
    ConfigError
        Invalid or contradictory options; dask is not installed (on import).

    Example
    -------
    >>> engine = DaskEngine(default_model_dir(), workers=2)  # doctest: +SKIP
    >>> analyze(store, engine).scored  # doctest: +SKIP
    >>> DaskEngine(default_model_dir(), scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        aspects: bool = True,
        scheduler: str | None = None,
        workers: int | None = None,
        threads_per_worker: int = 1,
        in_flight: int = 4,
        ship_model: bool | None = None,
        connect_timeout: float = 10.0,
    ) -> None:
        check_cluster_options(scheduler, workers, in_flight)
        if threads_per_worker < 1:
            raise ConfigError(f"threads_per_worker must be 1 or more, not {threads_per_worker}")
        self.model_dir = model_dir
        self.aspects = aspects
        self.scheduler = scheduler
        self.workers = workers
        self.threads_per_worker = threads_per_worker
        self.in_flight = in_flight
        self.ship_model = ship_model
        self.connect_timeout = connect_timeout

    def _client(self, stack: ExitStack) -> distributed.Client:
        """Connect (starting a LocalCluster if no scheduler); ``stack`` closes it."""
        return connect(
            stack,
            scheduler=self.scheduler,
            workers=self.workers,
            threads_per_worker=self.threads_per_worker,
            connect_timeout=self.connect_timeout,
        )

    def score(self, batches: Iterable[list[StoredReview]]) -> Iterator[ScoredBatch]:
        """Score every batch on the cluster; yield each as it completes.

        Batches are yielded in completion order, not input order. Nothing
        to score means no cluster is started or contacted.
        """
        stream = iter(batches)
        first = next(stream, None)
        if first is None:
            return
        with ExitStack() as stack:
            client = self._client(stack)
            n_workers = max(1, len(client.scheduler_info()["workers"]))
            ship = self.ship_model if self.ship_model is not None else self.scheduler is not None
            plugin_name = f"reelsense-analyzer-{uuid.uuid4().hex}"
            files = _bundle_files(self.model_dir) if ship else None
            plugin = _AnalyzerPlugin(str(self.model_dir), files, self.aspects)
            client.register_plugin(plugin, name=plugin_name)
            stack.callback(client.unregister_worker_plugin, plugin_name)
            logger.info(
                "scoring on %d Dask workers at %s (model %s)",
                n_workers,
                client.scheduler_info().get("address", "?"),
                "shipped" if ship else f"loaded from {self.model_dir}",
            )
            yield from self._score_window(
                client, plugin_name, itertools.chain([first], stream), n_workers * self.in_flight
            )

    @staticmethod
    def _score_window(
        client: distributed.Client,
        plugin_name: str,
        batches: Iterable[list[StoredReview]],
        limit: int,
    ) -> Iterator[ScoredBatch]:
        stream = iter(batches)
        pending: set[distributed.Future[ScoredBatch]] = set()

        def submit_next() -> distributed.Future[ScoredBatch] | None:
            batch = next(stream, None)
            if batch is None:
                return None
            future = client.submit(_score_on_worker, plugin_name, batch, pure=False)
            pending.add(future)
            return future

        try:
            for _ in range(limit):
                if submit_next() is None:
                    break
            done = distributed.as_completed(list(pending))  # type: ignore[no-untyped-call]
            for future in done:
                result = future.result()
                pending.discard(future)
                future.release()
                following = submit_next()
                if following is not None:
                    done.add(following)  # type: ignore[no-untyped-call]
                yield result
        finally:
            if pending:
                client.cancel(list(pending))  # type: ignore[no-untyped-call]

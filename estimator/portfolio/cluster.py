"""A Dask cluster on this machine for :func:`estimator.risk` (``client=``): worker processes
listening on 127.0.0.1 only, no dashboard. For a cluster elsewhere, connect a
``distributed.Client`` to its scheduler instead."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def local_cluster(workers: int = 2, *, memory_limit: str = "auto") -> Iterator[Any]:
    """A ``distributed.Client`` on a ``LocalCluster`` of ``workers`` single-threaded worker
    processes on 127.0.0.1; closed on exit."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            scheduler_port=0,
            dashboard_address=None,
            memory_limit=memory_limit,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client

"""`mkdocs serve` notices a saved file within 0.1 s instead of 0.5 s.

MkDocs 1.6 watches docs/ and the ``watch:`` folders (lab/, img/, hooks/, overrides/) by
polling them every 0.5 s (a ``PollingObserver``: it works on every file system, Vagrant's
shared folders included, where inotify misses edits made on the other side). Half a second of
a one-second preview loop was waiting for the next look. This hook swaps in the same observer
polling every 0.1 s: a snapshot of these few hundred files costs about a millisecond. Every
folder MkDocs watched is watched again, by the new observer (``watch``/``unwatch`` are
MkDocs' own API); tests/site/test_serve_preview.py edits each folder and sees the page change.
"""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

POLLING_INTERVAL_S = 0.1


def on_serve(
    server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., None]
) -> LiveReloadServer:
    watched = dict(server._watched_paths)  # path -> how many times it was watched
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = PollingObserver(timeout=POLLING_INTERVAL_S)
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server

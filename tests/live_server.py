"""The real server on a free loopback port, in a thread, for tests with real HTTP clients.

The store is an in-memory copy of the real graph plus ``tests/data/server/protokoll.trig``, so
the shared ``store`` fixture is never changed.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from inko_graph.store import OxigraphStore

PROTOKOLL = Path(__file__).parent / "data" / "server" / "protokoll.trig"
EX = "http://example.org/protokoll/"


def store_copy(real_store) -> OxigraphStore:
    copy = OxigraphStore.memory()
    copy.load_quads(real_store.quads())
    copy.load_quads(ox.parse(path=str(PROTOKOLL), format=ox.RdfFormat.TRIG))
    return copy


class LiveServer:
    def __init__(self, app):
        import uvicorn

        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self, timeout: float = 20.0) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("Der Testserver ist nicht gestartet.")
            time.sleep(0.02)
        pool = self.app.state.query_pool
        while sum(1 for w in list(pool._workers) if w.ready) < pool.size:
            if time.monotonic() > deadline:
                raise RuntimeError("Die Abfrageprozesse des Testservers sind nicht bereit.")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def start_server(real_store, **overrides) -> LiveServer:
    from inko_graph.server import create_app
    from inko_graph.settings import Settings

    settings = Settings.from_env(env={}, store_path=None, **overrides)
    app = create_app(settings, store_copy(real_store))
    return LiveServer(app).start()

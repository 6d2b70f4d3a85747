"""A server in a process of its own, for tests that measure whether it keeps serving others.

Run as ``python tests/hostile_server.py TOKENS_FILE``: serves the Raster test world (in memory)
on a free port of 127.0.0.1 with short limits, and prints the port on the first line of stdout.
In a process of its own, a client's measurements are not disturbed by the server's work.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

SETTINGS = {"query_timeout": 2.0, "max_upload_bytes": 200_000, "max_query_bytes": 20_000, "query_workers": 2}
#: The time limit of the check before a query (default 5 s), shorter here to keep the tests short.
PARSE_SECONDS = 2.0


def main(tokens_file: str) -> None:
    import uvicorn

    from inko_graph.server import create_app
    from inko_graph.settings import Settings
    from raster_fixtures import world_store

    from inko_graph.server import query_parse

    query_parse.PARSE_SECONDS = PARSE_SECONDS
    settings = Settings.from_env(env={}, store_path=None, tokens_file=Path(tokens_file), **SETTINGS)
    app = create_app(settings, world_store())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on")).run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1])

"""A real uvicorn server on a loopback port, in a thread, for tests that need real HTTP."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, socket.socket, str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                        access_log=False))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    return srv, thread, sock, f"http://127.0.0.1:{port}"


def stop(srv: uvicorn.Server, thread: threading.Thread, sock: socket.socket) -> None:
    srv.should_exit = True
    thread.join(10)
    sock.close()


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    srv, thread, sock, url = serve(app)
    try:
        yield url
    finally:
        stop(srv, thread, sock)

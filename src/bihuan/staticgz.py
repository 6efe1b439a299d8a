"""Static files for the built web app, gzipped once and kept in memory.

The assets under /assets/ have content hashes in their names, so they never change: each
is compressed at first request (level 9) and then served from memory with a year-long,
immutable cache header. A phone on a slow link gets a third of the bytes, and the server
spends no CPU compressing the same file twice."""

import gzip
import mimetypes
import threading
from pathlib import Path

from starlette._utils import get_route_path
from starlette.types import Receive, Scope, Send

_COMPRESSIBLE = frozenset({".js", ".css", ".svg", ".json", ".webmanifest", ".html", ".txt",
                           ".map"})
_IMMUTABLE = "public, max-age=31536000, immutable"


class GzipAssets:
    """An ASGI app for one folder of hashed, immutable files."""

    def __init__(self, directory: Path) -> None:
        self.root = directory.resolve()
        self._cache: dict[str, tuple[bytes, bytes | None, str]] = {}
        self._lock = threading.Lock()

    def _load(self, rel: str) -> tuple[bytes, bytes | None, str] | None:
        hit = self._cache.get(rel)
        if hit is not None:
            return hit
        path = (self.root / rel).resolve()
        if self.root not in path.parents or not path.is_file():
            return None
        raw = path.read_bytes()
        zipped = (gzip.compress(raw, 9, mtime=0)
                  if path.suffix in _COMPRESSIBLE and len(raw) > 512 else None)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "text/javascript"):
            ctype += "; charset=utf-8"
        with self._lock:
            self._cache[rel] = (raw, zipped, ctype)
        return self._cache[rel]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        rel = get_route_path(scope).lstrip("/")
        found = self._load(rel) if scope["method"] in ("GET", "HEAD") and rel else None
        if found is None:
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"not found"})
            return
        raw, zipped, ctype = found
        accept = dict(scope["headers"]).get(b"accept-encoding", b"")
        body = zipped if zipped is not None and b"gzip" in accept else raw
        headers = [(b"content-type", ctype.encode()), (b"cache-control", _IMMUTABLE.encode()),
                   (b"content-length", str(len(body)).encode()), (b"vary", b"accept-encoding")]
        if body is zipped:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else body})

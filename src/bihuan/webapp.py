"""Serves the built web app: the desk at /desk/, the engineer app at /m/, customer pages at
/r/<device token> and /t/<tracking code>. Each is a single-page app with its own HTML entry."""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from bihuan.staticgz import GzipAssets

_NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Bihuan</title>
<p>网页尚未构建:请运行 <code>make demo</code>(或在 web/ 中运行 <code>npm run build</code>)。</p>
<p>The web app is not built: run <code>make demo</code> (or <code>npm run build</code> in web/).</p>
<p><a href="/docs">API /docs</a></p>"""


def install(app: FastAPI, dist: Path) -> None:
    """Mount the assets and the per-app fallbacks (client-side routes get their app's HTML)."""
    if (dist / "assets").is_dir():
        app.mount("/assets", GzipAssets(dist / "assets"), name="assets")

    def page(entry: str, sub: str = "") -> Response:
        # a real file under the app's folder (manifest, service worker, icons) wins
        if sub:
            candidate = (dist / sub).resolve()
            if candidate.is_file() and dist.resolve() in candidate.parents:
                return FileResponse(candidate)
        html = dist / f"{entry}.html"
        if not html.is_file():
            return HTMLResponse(_NOT_BUILT, status_code=503)
        # the HTML is tiny and names hashed assets: never cache it, so a deploy shows at once
        return FileResponse(html, headers={"Cache-Control": "no-cache"})

    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        return RedirectResponse("/desk/")

    @app.get("/desk", include_in_schema=False)
    @app.get("/desk/{path:path}", include_in_schema=False)
    async def desk(path: str = "") -> Response:
        return page("desk")

    @app.get("/m", include_in_schema=False)
    @app.get("/m/{path:path}", include_in_schema=False)
    async def mobile(request: Request, path: str = "") -> Response:
        return page("mobile", f"m/{path}" if path else "")

    @app.get("/r/{token}", include_in_schema=False)
    @app.get("/t/{code}", include_in_schema=False)
    @app.get("/t/{code}/{rest:path}", include_in_schema=False)
    async def portal(request: Request) -> Response:
        return page("portal")

"""create_app(): routers, error handlers, the database."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from bihuan import __version__, meta, webapp, worker
from bihuan.attachments.endpoints import router as attachments_router
from bihuan.auth.endpoints import router as auth_router
from bihuan.config import Settings, get_settings
from bihuan.customers.endpoints import router as customers_router
from bihuan.db import Database
from bihuan.devices.endpoints import router as devices_router
from bihuan.engineers.endpoints import router as engineers_router
from bihuan.groupcommit import GroupCommit
from bihuan.kit import errors_http
from bihuan.notifications.endpoints import router as notifications_router
from bihuan.portal.endpoints import router as portal_router
from bihuan.sla.endpoints import router as sla_router
from bihuan.sla.endpoints import todos_router
from bihuan.users.endpoints import router as users_router
from bihuan.workorders.endpoints import router as workorders_router
from bihuan.workorders.endpoints import views_router


def _operation_id(route: APIRoute) -> str:
    # clean names for the generated TypeScript client: "work-orders-list_work_orders"
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def _offline_docs(app: FastAPI) -> None:
    """/docs from a bundled Swagger UI: factory networks are often offline, so no CDN."""
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="Bihuan 闭环 API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png")


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    owns_db = db is None
    if db is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.effective_database_url, echo=settings.sql_echo)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        checkpoints = db.start_checkpoints()
        stop = worker.start(db, settings) if settings.background_worker else None
        yield
        if stop is not None:
            stop()
        if checkpoints:
            db.stop_checkpoints()
        if owns_db:
            db.dispose()

    app = FastAPI(
        title="Bihuan 闭环 API", version=__version__, lifespan=lifespan,
        description="Closed-loop work orders. Errors: {code, message, messages}.",
        generate_unique_id_function=_operation_id, docs_url=None, redoc_url=None,
    )
    _offline_docs(app)
    app.state.settings, app.state.db = settings, db
    app.state.group = GroupCommit(db)
    errors_http.install(app)
    api = APIRouter(prefix="/api/v1")
    for r in (auth_router, workorders_router, attachments_router, customers_router,
              devices_router, engineers_router, users_router, views_router, portal_router,
              notifications_router, sla_router, todos_router, meta.router):
        api.include_router(r)
    app.include_router(api)
    webapp.install(app, settings.web_dist)
    return app

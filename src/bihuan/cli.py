"""The `bihuan` command: serve, worker, demo, db upgrade, audit verify, users, openapi."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Bihuan 闭环 work orders", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="database", no_args_is_help=True)
audit_app = typer.Typer(help="audit trail", no_args_is_help=True)
user_app = typer.Typer(help="staff accounts", no_args_is_help=True)
secrets_app = typer.Typer(help="secrets stored encrypted (channel keys and passwords)",
                          no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(secrets_app, name="secrets")

Port = Annotated[int, typer.Option(help="TCP port")]
Host = Annotated[str, typer.Option(help="bind address")]


def _settings():  # type: ignore[no-untyped-def]
    from bihuan.config import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations to the configured database."""
    from bihuan.migrate import upgrade

    upgrade(_settings().effective_database_url)
    typer.echo("database is up to date / 数据库已是最新")


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; exit 1 naming the first bad event."""
    from bihuan.audit.service import verify
    from bihuan.db import Database

    db = Database(_settings().effective_database_url)
    with db.session(write=False) as session:
        result = verify(session)
    db.dispose()
    if result.ok:
        typer.echo(f"OK: {result.checked} events, chain intact / 审计链完整")
        return
    typer.echo(f"BROKEN at event #{result.bad_seq}: {result.problem} / 审计链在第 "
               f"{result.bad_seq} 条断开", err=True)
    raise typer.Exit(1)


@secrets_app.command("rotate")
def secrets_rotate() -> None:
    """Re-encrypt every stored secret with the first key of BIHUAN_SECRET_KEY (or the key
    file); exits 1 when some value no configured key can read."""
    from bihuan.kit.secrets import rotate_all

    done, bad = rotate_all(_settings().effective_database_url)
    typer.echo(f"re-encrypted {done} values / 已用新密钥重新加密 {done} 项")
    if bad:
        typer.echo(f"{bad} values cannot be decrypted with any configured key / "
                   f"{bad} 项无法用已配置的密钥解密", err=True)
        raise typer.Exit(1)


@user_app.command("add")
def user_add(
    username: str, role: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    display_name: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create a staff account (role: admin, agent, dispatcher, engineer, supervisor, director)."""
    from pydantic import ValidationError

    from bihuan.db import Database, session_scope
    from bihuan.errors import DomainError
    from bihuan.kit.context import SYSTEM, RequestContext
    from bihuan.users.schemas import UserCreate
    from bihuan.users.service import create_user

    try:
        data = UserCreate(username=username, role=role, password=password,
                          display_name=display_name or username)
    except ValidationError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from e
    db = Database(_settings().effective_database_url)
    try:
        with session_scope(db) as session:
            create_user(session, RequestContext(SYSTEM), data)
    except DomainError as e:
        typer.echo(f"{e.zh} / {e.en}", err=True)
        raise typer.Exit(2) from e
    typer.echo(f"created {username} ({role})")


def _run_server(host: str, port: int, workers: int, background: bool = True) -> None:
    import uvicorn

    if background:  # the factory reads it: each web process sweeps and relays too
        from bihuan.config import get_settings

        os.environ["BIHUAN_BACKGROUND_WORKER"] = "1"
        get_settings.cache_clear()

    uvicorn.run("bihuan.main:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)


@app.command()
def serve(host: Host = "127.0.0.1", port: Port = 8000,
          workers: Annotated[int, typer.Option(help="processes")] = 1,
          migrate: Annotated[bool, typer.Option(help="apply migrations first")] = True,
          worker: Annotated[bool, typer.Option(help="run the SLA sweeper and the notification "
                                                    "relay in the web process")] = True) -> None:
    """Serve the API and the web app."""
    if migrate:
        db_upgrade()
    typer.echo(f"Bihuan on http://{host}:{port}  (API docs: /docs)")
    _run_server(host, port, workers, worker)


@app.command("worker")
def worker_cmd(
    sweep_interval: Annotated[float, typer.Option(help="seconds between SLA sweeps")] = 15.0,
    relay_interval: Annotated[float, typer.Option(help="seconds between relay cycles")] = 2.0,
) -> None:
    """Run the SLA sweeper and the notification relay (for `serve --no-worker` setups)."""
    import signal
    import threading

    from bihuan import worker
    from bihuan.db import Database

    settings = _settings()
    db = Database(settings.effective_database_url)
    db.start_checkpoints()
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    stop = worker.start(db, settings, sweep_interval=sweep_interval,
                        relay_interval=relay_interval)
    typer.echo("Bihuan worker: SLA sweeper and notification relay running (Ctrl-C stops)")
    done.wait()
    stop()
    db.dispose()


@app.command()
def openapi() -> None:
    """Print the OpenAPI document (the web client is generated from it)."""
    import json
    import tempfile

    from bihuan.config import Settings
    from bihuan.main import create_app

    with tempfile.TemporaryDirectory() as tmp:  # the document needs no data; never touch any
        app_ = create_app(Settings(data_dir=Path(tmp), database_url=None))
        typer.echo(json.dumps(app_.openapi(), ensure_ascii=False, indent=1))


@app.command()
def demo(
    port: Port = 8000, host: Host = "127.0.0.1",
    data_dir: Annotated[Path, typer.Option(help="where the demo database goes")] = Path(
        "./data/demo"),
    seed: Annotated[int, typer.Option(help="random seed")] = 2601,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="only build the data")] = False,
) -> None:
    """Build a fresh demo database (a precision-parts maker) and serve it."""
    from bihuan.demo.seed import build_demo, print_banner

    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["BIHUAN_DATA_DIR"] = str(data_dir.resolve())
    os.environ.pop("BIHUAN_DATABASE_URL", None)
    from bihuan.config import get_settings

    get_settings.cache_clear()
    summary = build_demo(get_settings(), seed=seed)
    print_banner(summary, host, port)
    sys.stdout.flush()
    if not no_serve:
        _run_server(host, port, 1)


if __name__ == "__main__":
    app()

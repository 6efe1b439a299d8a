"""Channel secrets and URLs at rest: encrypted in the row, plain to the relay, never shown by
the API; legacy plain text, key rotation, a wrong key, the key file and the migration."""

import os
import stat
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select, text

from bihuan.db import Database, session_scope
from bihuan.kit import secrets
from bihuan.migrate import alembic_config, upgrade
from bihuan.notifications.models import NotificationChannel
from bihuan.notifications.relay import run_once
from tests.notifications.conftest import enqueue, robot, row
from tests.test_migrations import fresh_url  # noqa: F401  (a fixture)

API = "/api/v1"
K1, K2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-PLAIN"
BEFORE = "b57ba6472a80"  # the revision before channel_secrets


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(secrets.ENV, K1)


def raw(db: Database) -> list[tuple[int, str | None, str | None]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(  # type: ignore[misc]
            "SELECT id, url, secret FROM notification_channels ORDER BY id"))]


def channel(db: Database, channel_id: int) -> NotificationChannel:
    with session_scope(db, write=False) as s:
        c = s.get(NotificationChannel, channel_id)
        assert c is not None
        s.expunge(c)
        return c


def add(db: Database, kind: str, url: str | None, secret: str | None) -> int:
    with session_scope(db) as s:
        c = NotificationChannel(kind=kind, name=kind, url=url, secret=secret, enabled=True,
                                settings={})
        s.add(c)
        s.flush()
        return c.id


def test_the_row_holds_ciphertext_and_the_model_plain_text(db):
    wecom = add(db, "wecom", WECOM, None)
    hook = add(db, "webhook", "https://hooks.example.com/in", "whsec-PLAIN")
    rows = raw(db)
    assert [r[2] for r in rows] == [None, rows[1][2]]
    for _, url, secret in rows:
        for value in (url, secret):
            assert value is None or value.startswith("fernet:")
    assert "wecom-key-PLAIN" not in str(rows) and "whsec-PLAIN" not in str(rows)
    assert "hooks.example.com" not in str(rows)
    assert channel(db, wecom).url == WECOM
    assert (channel(db, hook).url, channel(db, hook).secret) == (
        "https://hooks.example.com/in", "whsec-PLAIN")


def test_the_api_shows_neither_plain_text_nor_ciphertext(client, db, f):
    admin = f.user("admin")
    r = client.post(f"{API}/notification-channels", headers=admin.headers, json={
        "kind": "wecom", "name": "群", "url": WECOM})
    assert r.status_code == 201, r.text
    r = client.post(f"{API}/notification-channels", headers=admin.headers, json={
        "kind": "webhook", "name": "hook", "url": "https://hooks.example.com/in",
        "secret": "whsec-PLAIN"})
    hook = r.json()["id"]
    client.patch(f"{API}/notification-channels/{hook}", headers=admin.headers,
                 json={"secret": "whsec-NEW"})
    listed = client.get(f"{API}/notification-channels", headers=admin.headers)
    assert listed.status_code == 200
    for leak in ("wecom-key-PLAIN", "whsec-PLAIN", "whsec-NEW", "fernet:"):
        assert leak not in listed.text
    assert listed.json()[0]["url"].endswith("key=****")
    assert "fernet:" in str(raw(db)) and "whsec-NEW" not in str(raw(db))
    assert channel(db, hook).secret == "whsec-NEW"


def test_the_relay_signs_with_the_decrypted_secret_and_url_key(db, ns, receiver, clock):
    hook, wecom = robot(db, receiver, "webhook"), robot(db, receiver, "wecom")
    assert all(u.startswith("fernet:") for _, u, _ in raw(db))
    ids = [enqueue(db, channel="webhook", target=hook), enqueue(db, channel="wecom",
                                                                 target=wecom)]
    assert run_once(db, ns).sent == 2, [row(db, i).last_error for i in ids]  # type: ignore[arg-type]
    assert [r.verified for r in receiver.requests] == [True, True], receiver.requests
    assert receiver.of("wecom")[0].query["key"] == receiver.secrets["wecom"]


def test_legacy_plain_text_rows_still_read_and_deliver(db, ns, receiver, clock):
    hook = robot(db, receiver, "webhook")
    with db.engine.begin() as conn:  # as written before encryption
        conn.execute(text("UPDATE notification_channels SET url = :u, secret = :s"),
                     {"u": f"{receiver.url}/webhook/send", "s": receiver.secrets["webhook"]})
    assert channel(db, hook).secret == receiver.secrets["webhook"]
    row_id = enqueue(db, channel="webhook", target=hook)
    assert run_once(db, ns).sent == 1, row(db, row_id).last_error  # type: ignore[arg-type]
    assert receiver.requests[0].verified


def test_rotation_old_key_second_still_decrypts_and_rotate_rewrites(db, monkeypatch, tmp_path):
    ch = add(db, "webhook", "https://hooks.example.com/in", "whsec-1")
    monkeypatch.setenv(secrets.ENV, f"{K2}, {K1}")
    assert channel(db, ch).secret == "whsec-1"
    other = add(db, "webhook", "https://hooks.example.com/2", "whsec-2")
    monkeypatch.setenv(secrets.ENV, K2)  # new writes use the first key
    assert channel(db, other).secret == "whsec-2"
    assert isinstance(channel(db, ch).secret, secrets.Unreadable)

    url = db.engine.url.render_as_string(hide_password=False)
    cli = subprocess.run(
        [sys.executable, "-m", "bihuan.cli", "secrets", "rotate"], capture_output=True,
        text=True, timeout=120, check=False,
        env={**os.environ, secrets.ENV: f"{K2},{K1}", "BIHUAN_DATABASE_URL": url,
             "BIHUAN_DATA_DIR": str(tmp_path)})
    assert (cli.returncode, cli.stdout.split(" / ")[0]) == (0, "re-encrypted 4 values"), cli
    monkeypatch.setenv(secrets.ENV, K2)  # the old key can go now
    assert (channel(db, ch).secret, channel(db, other).secret) == ("whsec-1", "whsec-2")


class TestWrongKey:
    def test_the_relay_kills_the_message_with_a_clear_reason(self, db, ns, receiver, clock,
                                                           monkeypatch):
        hook = robot(db, receiver, "webhook")
        row_id = enqueue(db, channel="webhook", target=hook)
        monkeypatch.setenv(secrets.ENV, K2)
        stats = run_once(db, ns)
        assert (stats.dead, receiver.requests) == (1, [])
        error = row(db, row_id).last_error or ""  # type: ignore[arg-type]
        assert "cannot be decrypted" in error and secrets.ENV in error

    def test_the_api_lists_and_edits_the_channel_and_new_values_work(self, client, db, f,
                                                                     monkeypatch):
        admin = f.user("admin")
        ch = add(db, "webhook", "https://hooks.example.com/in", "whsec-1")
        monkeypatch.setenv(secrets.ENV, K2)
        listed = client.get(f"{API}/notification-channels", headers=admin.headers)
        assert listed.status_code == 200, listed.text
        assert (listed.json()[0]["url"], listed.json()[0]["has_secret"]) == ("****", True)
        url = f"{API}/notification-channels/{ch}"
        r = client.patch(url, json={"enabled": False, "name": "停用"}, headers=admin.headers)
        assert r.status_code == 200, r.text
        before = raw(db)
        r = client.patch(url, json={"url": "https://hooks.example.com/new", "secret": "whsec-2"},
                         headers=admin.headers)
        assert r.status_code == 200, r.text
        assert raw(db) != before
        c = channel(db, ch)
        assert (c.url, c.secret, c.name) == ("https://hooks.example.com/new", "whsec-2", "停用")

    def test_a_malformed_key_is_a_503_on_save_not_a_500(self, client, db, f, monkeypatch):
        admin = f.user("admin")
        ch = add(db, "webhook", "https://hooks.example.com/in", "whsec-1")
        monkeypatch.setenv(secrets.ENV, "not-a-fernet-key")
        r = client.post(f"{API}/notification-channels", headers=admin.headers, json={
            "kind": "webhook", "name": "hook", "url": "https://h.example.com/",
            "secret": "s"})
        assert (r.status_code, r.json()["code"]) == (503, "secret_key_unusable")
        assert r.json()["messages"]["zh-CN"] != r.json()["messages"]["en"]
        assert client.get(f"{API}/notification-channels", headers=admin.headers
                          ).status_code == 200
        reason = channel(db, ch).secret.reason  # type: ignore[union-attr]
        assert secrets.ENV in reason


def test_the_key_file_is_made_once_with_mode_0600(tmp_path, monkeypatch):
    monkeypatch.delenv(secrets.ENV)
    ring = secrets.keyring(tmp_path / "data")
    path = tmp_path / "data" / secrets.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = ring.encrypt(b"x")
    secrets._from_file.cache_clear()  # a restart reads the same key back
    assert secrets.keyring(tmp_path / "data").decrypt(token) == b"x"
    assert [p.name for p in path.parent.iterdir()] == [secrets.KEY_FILE]


def test_the_migration_encrypts_plain_rows_and_downgrade_decrypts(fresh_url):  # noqa: F811
    upgrade(fresh_url, BEFORE)
    engine = create_engine(fresh_url)
    plain = [(1, "wecom", WECOM, None), (2, "webhook", "https://hooks.example.com/in",
                                          "whsec-PLAIN"), (3, "email", None, "x" * 500)]
    try:
        with engine.begin() as conn:
            for id_, kind, url, secret in plain:
                conn.execute(text(
                    "INSERT INTO notification_channels (id, kind, name, url, secret, enabled, "
                    "settings, created_at, updated_at) VALUES (:id, :kind, :kind, :url, :secret, "
                    "true, '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                    {"id": id_, "kind": kind, "url": url, "secret": secret})
        upgrade(fresh_url)
        with engine.connect() as conn:
            stored = conn.execute(text(
                "SELECT id, url, secret FROM notification_channels ORDER BY id")).all()
            assert "PLAIN" not in str(stored) and "hooks.example.com" not in str(stored)
            assert [(i, u and secrets.decrypt(u), s and secrets.decrypt(s))
                    for i, u, s in stored] == [(i, u, s) for i, _, u, s in plain]
            models = conn.execute(select(NotificationChannel.url, NotificationChannel.secret)
                                  .order_by(NotificationChannel.id)).all()
            assert [tuple(m) for m in models] == [(u, s) for _, _, u, s in plain]

        from alembic import command
        command.downgrade(alembic_config(fresh_url), BEFORE)
        engine.dispose()
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT id, kind, url, secret FROM notification_channels ORDER BY id")
            ).all() == plain
    finally:
        engine.dispose()

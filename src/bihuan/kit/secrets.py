"""Secrets at rest: Fernet encryption for columns that hold credentials (`EncryptedText`).

Keys: `BIHUAN_SECRET_KEY` (comma-separated Fernet keys), else `<data_dir>/secret.key`, made
on first use with mode 0600. The first key encrypts, every key decrypts (rotation: put the new
key first, run `bihuan secrets rotate`, then drop the old one).

Stored form: "fernet:<token>". A value without the prefix is legacy plain text and reads as
is. A value no key decrypts reads as `Unreadable` (its text is the ciphertext, never plain
text), so one bad row does not fail a whole query; users of a secret must refuse it.
"""

import os
import re
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

PREFIX = "fernet:"
ENV = "BIHUAN_SECRET_KEY"
KEY_FILE = "secret.key"


class SecretKeyError(Exception):
    """The key is malformed or its file cannot be read or made."""


class Unreadable(str):
    """A stored value that no configured key decrypts; `reason` says why."""

    reason: str

    def __new__(cls, stored: str, reason: str) -> Self:
        self = super().__new__(cls, stored)
        self.reason = reason
        return self


def _parse(keys: str, where: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k) for k in re.split(r"[,\s]+", keys.strip()) if k])
    except ValueError:  # a bad key, or none at all
        raise SecretKeyError(f"{where} must hold Fernet keys (44 characters of url-safe "
                             "base64), comma-separated") from None


@lru_cache(maxsize=4)
def _from_env(value: str) -> MultiFernet:
    return _parse(value, ENV)


@lru_cache(maxsize=4)
def _from_file(path: Path) -> MultiFernet:
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # written aside, then linked in: a racing process never sees half a key, and the
            # first link wins (the loser reads the winner's key)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(Fernet.generate_key() + b"\n")
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return _parse(path.read_text(), str(path))
    except OSError as e:
        raise SecretKeyError(f"cannot read or create the key file {path}: {e}") from None


def keyring(data_dir: Path | None = None) -> MultiFernet:
    """The configured keys: BIHUAN_SECRET_KEY, else the data folder's key file."""
    env = os.environ.get(ENV, "").strip()
    if env:
        return _from_env(env)
    if data_dir is None:
        from bihuan.config import get_settings

        data_dir = get_settings().data_dir
    return _from_file(data_dir.resolve() / KEY_FILE)


def encrypt(value: str) -> str:
    return PREFIX + keyring().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    """Plain text of a stored value (legacy plain text as is); InvalidToken if no key fits."""
    if not stored.startswith(PREFIX):
        return stored
    return keyring().decrypt(stored[len(PREFIX):].encode()).decode()


def reveal(stored: str) -> str:
    """`decrypt`, or an `Unreadable` in place of raising."""
    try:
        return decrypt(stored)
    except InvalidToken:
        return Unreadable(stored, f"no key in {ENV} or {KEY_FILE} decrypts it (a lost or "
                          "changed key: restore it, or enter the secret again)")
    except SecretKeyError as e:
        return Unreadable(stored, str(e))


def reencrypt(stored: str) -> str:
    """The value encrypted with the first key (plain text too); InvalidToken if no key fits."""
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + keyring().rotate(stored[len(PREFIX):].encode()).decode()


class EncryptedText(TypeDecorator[str]):
    """Text encrypted on write, decrypted on read. Equality filters cannot match (each write
    has a fresh IV); an `Unreadable` is written back unchanged."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, Unreadable):
            return str(value)
        return encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else reveal(value)


def rotate_all(url: str) -> tuple[int, int]:
    """Re-encrypt every EncryptedText column with the first key: (rewritten, unreadable)."""
    from sqlalchemy import select, type_coerce, update

    from bihuan.db import make_engine
    from bihuan.models import Base

    done = bad = 0
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for table in Base.metadata.tables.values():
                cols = [c for c in table.columns if isinstance(c.type, EncryptedText)]
                if not cols:
                    continue
                pk = list(table.primary_key.columns)
                raw = [type_coerce(c, Text).label(c.name) for c in cols]
                for row in conn.execute(select(*pk, *raw)).mappings():
                    new: dict[str, str] = {}
                    for c in cols:
                        if row[c.name] is None:
                            continue
                        try:
                            new[c.name] = reencrypt(row[c.name])
                        except InvalidToken:
                            bad += 1
                    if new:
                        where = [k == row[k.name] for k in pk]
                        conn.execute(update(table).where(*where).values(
                            {k: type_coerce(v, Text) for k, v in new.items()}))
                        done += len(new)
    finally:
        engine.dispose()
    return done, bad

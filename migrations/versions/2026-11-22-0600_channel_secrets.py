"""Notification channel secrets and URLs (a WeCom robot's key is in its URL) encrypted at rest:
the columns become Text (ciphertext is longer than 500) and plain-text rows are encrypted with
BIHUAN_SECRET_KEY or <data_dir>/secret.key; downgrade decrypts them back

Revision ID: c3e1f0a9d210
Revises: b57ba6472a80
Create Date: 2026-11-22 06:00:00
"""
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import InvalidToken

from bihuan.kit import secrets

revision: str = "c3e1f0a9d210"
down_revision: str | None = "b57ba6472a80"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

channels = sa.table("notification_channels", sa.column("id", sa.Integer),
                    sa.column("url", sa.Text), sa.column("secret", sa.Text))


def _convert(change: Callable[[str], str | None]) -> None:
    conn = op.get_bind()
    for row in conn.execute(sa.select(channels)).mappings().all():
        new = {k: change(row[k]) for k in ("url", "secret") if row[k] is not None}
        new = {k: v for k, v in new.items() if v is not None}
        if new:
            conn.execute(channels.update().where(channels.c.id == row["id"]).values(new))


def _encrypt(value: str) -> str | None:
    return None if value.startswith(secrets.PREFIX) else secrets.encrypt(value)


def _decrypt(value: str) -> str | None:
    if not value.startswith(secrets.PREFIX):
        return None
    try:
        return secrets.decrypt(value)
    except InvalidToken:
        raise RuntimeError("a notification channel secret cannot be decrypted with "
                           f"{secrets.ENV} / {secrets.KEY_FILE}: restore the key first") from None


def upgrade() -> None:
    with op.batch_alter_table("notification_channels", schema=None) as batch_op:
        batch_op.alter_column("url", existing_type=sa.String(length=500), type_=sa.Text(),
                              existing_nullable=True)
        batch_op.alter_column("secret", existing_type=sa.String(length=500), type_=sa.Text(),
                              existing_nullable=True)
    _convert(_encrypt)


def downgrade() -> None:
    _convert(_decrypt)
    with op.batch_alter_table("notification_channels", schema=None) as batch_op:
        batch_op.alter_column("secret", existing_type=sa.Text(), type_=sa.String(length=500),
                              existing_nullable=True)
        batch_op.alter_column("url", existing_type=sa.Text(), type_=sa.String(length=500),
                              existing_nullable=True)

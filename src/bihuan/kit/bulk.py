"""Many rows in one statement, without the per-row cost of a compiled statement.

An executemany through SQLAlchemy builds and converts every row's parameters in Python, and
on PostgreSQL sends and executes one INSERT per row. For the big batches (the SLA sweeper's
audit events, outbox rows and to-dos: a thousand at a time) that costs more than the writes:

- PostgreSQL: the rows travel as one JSON document, expanded by `json_to_recordset`; the
  statement text depends only on the table and the columns, so it is parsed and planned
  once, not once per row. A JSON column's value travels as its JSON text, cast to jsonb
  (measured: half the server time of a jsonb field of the document, which PostgreSQL
  writes out and parses again row by row);
- SQLite: executemany straight to the driver, each value through its column type's own bind
  processor (the same text SQLAlchemy would store).

JSON columns hold what the JSON column type writes (`kit.jsontext`; None included: JSON
null, not SQL NULL). Times must be timezone-aware, as `db.UTCDateTime` requires.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Column, Table, text
from sqlalchemy.engine import Connection

from bihuan.kit import jsontext

_statements: dict[tuple[Any, ...], Any] = {}


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *,
                skip_conflicts_on: str | None = None) -> None:
    """INSERT `rows` (all with the same keys) into `table`; with `skip_conflicts_on`, a row
    whose value in that unique column is taken is left out (ON CONFLICT DO NOTHING)."""
    if not rows:
        return
    names = tuple(rows[0])
    columns = [table.c[name] for name in names]
    if conn.dialect.name == "postgresql":
        stmt = _statement(conn, table, names, skip_conflicts_on, _pg_insert)
        jsons = [c.name for c in columns if _is_json(c)]
        doc = ([{**r, **{k: jsontext.dumps(r[k]) for k in jsons}} for r in rows] if jsons
               else rows)
        conn.execute(stmt, {"rows": json_doc(doc)})
        return
    sql = _statement(conn, table, names, skip_conflicts_on, _driver_insert)
    procs = [c.type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in columns]
    plan = list(zip(names, procs, strict=True))
    conn.exec_driver_sql(sql, [tuple(p(r[k]) if p else r[k] for k, p in plan) for r in rows])


def json_doc(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as one JSON document for `json_to_recordset`; times as ISO 8601 with their offset
    (a naive time raises, as `db.UTCDateTime` does)."""
    return jsontext.dumps(rows)


def _statement(conn: Connection, table: Table, names: tuple[str, ...], conflict: str | None,
               build: Callable[[Connection, Table, tuple[str, ...], str | None], Any]) -> Any:
    key = (conn.dialect.name, table.name, names, conflict)
    stmt = _statements.get(key)
    if stmt is None:
        stmt = _statements[key] = build(conn, table, names, conflict)
    return stmt


def _pg_insert(conn: Connection, table: Table, names: tuple[str, ...],
               conflict: str | None) -> Any:
    cols = [table.c[n] for n in names]
    # JSON arrives as its text and is cast, so a JSON null stays a JSON null
    fields = ", ".join(f"{_q(c.name)} {'text' if _is_json(c) else c.type.compile(conn.dialect)}"
                       for c in cols)
    values = ", ".join(f"CAST(r.{_q(c.name)} AS jsonb)" if _is_json(c) else f"r.{_q(c.name)}"
                       for c in cols)
    sql = (f"INSERT INTO {_q(table.name)} ({', '.join(map(_q, names))}) SELECT {values} "
           f"FROM json_to_recordset(CAST(:rows AS json)) AS r({fields})")
    return text(sql + _on_conflict(conflict))


def _driver_insert(conn: Connection, table: Table, names: tuple[str, ...],
                   conflict: str | None) -> str:
    return (f"INSERT INTO {_q(table.name)} ({', '.join(map(_q, names))}) "
            f"VALUES ({', '.join('?' * len(names))})" + _on_conflict(conflict))


def _q(name: str) -> str:
    return f'"{name}"'


def _on_conflict(column: str | None) -> str:
    return f" ON CONFLICT ({_q(column)}) DO NOTHING" if column else ""


def _is_json(column: Column[Any]) -> bool:
    return isinstance(column.type, JSON)

"""Reads in one statement: an order's detail (with its names, fault label, references and
files) and a list page (with its rows' labels and the capped total) each cost one query."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

WO = "/api/v1/work-orders"


@contextmanager
def statements(db) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(conn, cursor, statement, *_):  # type: ignore[no-untyped-def]
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_detail_and_list_are_one_statement_each(client, f, db):
    admin = f.user("admin")
    oid = f.order("assigned", device_id=f.device(f.customer()), fault_type="alarm",
                  external_refs=[{"system": "jira", "external_id": "OPS-7"}])
    f.photo(oid)
    client.get(f"{WO}/{oid}", headers=admin.headers)  # the token and SLA caches fill here
    with statements(db) as seen:
        detail = client.get(f"{WO}/{oid}", headers=admin.headers).json()
        assert len(seen) == 1
        page = client.get(f"{WO}?limit=1", headers=admin.headers).json()
        assert len(seen) == 2
    assert detail["external_refs"][0]["external_id"] == "OPS-7"
    assert detail["attachments"][0]["kind"] == "photo"
    assert detail["fault_label"]["en"] == "Alarm or error code"
    assert page["items"][0]["fault_label"] == detail["fault_label"]


def test_a_page_past_the_end_still_counts(client, f):
    admin = f.user("admin")
    for _ in range(3):
        f.order(type="maintenance")
    body = client.get(f"{WO}?limit=2&offset=10", headers=admin.headers).json()
    assert (body["items"], body["total"], body["total_exact"]) == ([], 3, True)

"""Engineers over the API: a login plus a profile; CRUD, paging, filters, search, audit."""

from typing import Any

import pytest

from bihuan.engineers.models import Engineer
from bihuan.users.models import User
from tests.audit.helpers import count, events_since, fast_argon2, last_seq, only_event

URL = "/api/v1/engineers"
pytestmark = pytest.mark.usefixtures("fast_argon2")
_ = fast_argon2  # the fixture, imported


def _new(username: str = "li.gong", **kw: Any) -> dict[str, Any]:
    return {"username": username, "display_name": "李工", "password": "long-enough-1",
            "skills": ["HR-E"], "cert_level": 3, "home_base": "深圳南山", "region": "华南", **kw}


@pytest.fixture
def disp(f):
    return f.user("dispatcher")


def _create(client: Any, who: Any, username: str = "li.gong", **kw: Any) -> dict[str, Any]:
    r = client.post(URL, headers=who.headers, json=_new(username, **kw))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_create_read_update(client, f, db, disp):
    sup = f.user("supervisor")
    before = last_seq(db)
    e = _create(client, disp, phone="138 1234 5678", supervisor_id=sup.id, home_lat=22.5,
                home_lng=113.9, max_load=4)
    assert (e["username"], e["display_name"], e["phone"], e["title"], e["is_active"]) == (
        "li.gong", "李工", "13812345678", "工程师", True)
    assert (e["skills"], e["cert_level"], e["region"], e["max_load"]) == (["HR-E"], 3, "华南", 4)
    assert "password" not in str(e)
    assert [(x.action, x.entity_type) for x in events_since(db, before)] == [
        ("create", "user"), ("create", "engineer")]
    url = f"{URL}/{e['id']}"
    assert client.get(url, headers=disp.headers).json() == e

    before = last_seq(db)
    r = client.patch(url, headers=disp.headers, json={
        "skills": ["HR-E", "HR-X100"], "cert_level": 4, "home_lat": None, "region": "华南"})
    assert r.status_code == 200, r.text
    got = client.get(url, headers=disp.headers).json()
    assert got == r.json()
    assert (got["skills"], got["cert_level"], got["home_lat"]) == (["HR-E", "HR-X100"], 4, None)
    ev = only_event(db, before, action="update", entity_type="engineer", entity_id=e["id"],
                    actor_id=disp.id)
    assert ev.changes == {"skills": [["HR-E"], ["HR-E", "HR-X100"]], "cert_level": [3, 4],
                          "home_lat": [22.5, None]}

    # the new engineer can log in, as an engineer
    r = client.post("/api/v1/auth/login", json={"username": "li.gong",
                                                "password": "long-enough-1"})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["role"] == "engineer"
    with db.session(write=False) as s:
        assert s.get(User, e["user_id"]).password_hash.startswith("$argon2")


def test_pages_and_filters(client, f, disp):
    a = _create(client, disp, "eng.a", skills=["HR-E"], region="华南")["id"]
    b = _create(client, disp, "eng.b", skills=["HR-E3200"], region="华南")["id"]
    c = _create(client, disp, "eng.c", skills=["HR-X100", "HR-E5000"], region="华东")["id"]

    def ids(**params: Any) -> tuple[list[int], int]:
        r = client.get(URL, params=params, headers=disp.headers)
        assert r.status_code == 200, r.text
        return [x["id"] for x in r.json()["items"]], r.json()["total"]

    assert ids() == ([a, b, c], 3)
    assert ids(limit=2) == ([a, b], 3)
    assert ids(limit=2, offset=2) == ([c], 3)
    assert ids(region="华南") == ([a, b], 2)
    assert ids(region="华南", limit=1, offset=1) == ([b], 2)
    assert ids(region="西北") == ([], 0)
    # a skill is a model or a family: a family skill covers the family's models
    assert ids(skill="HR-E3200") == ([a, b], 2)
    assert ids(skill="HR-E") == ([a], 1)
    assert ids(skill="HR-E5000") == ([a, c], 2)
    assert ids(skill="HR-X100") == ([c], 1)
    assert ids(skill="HR") == ([], 0)
    assert ids(skill="HR-E3200", limit=1, offset=1) == ([b], 2)
    assert ids(skill="HR-E5000", region="华东") == ([c], 1)


def test_teams_are_set_trimmed_changed_left_filtered_and_listed(client, f, db, disp):
    a = _create(client, disp, "eng.a", team="  华南服务组 ")["id"]
    b = _create(client, disp, "eng.b")
    c = _create(client, disp, "eng.c", team="华东服务组", region="华东")["id"]
    assert b["team"] is None
    assert client.get(f"{URL}/{a}", headers=disp.headers).json()["team"] == "华南服务组"

    before = last_seq(db)
    r = client.patch(f"{URL}/{b['id']}", headers=disp.headers, json={"team": "华南服务组"})
    assert (r.status_code, r.json()["team"]) == (200, "华南服务组")
    ev = only_event(db, before, action="update", entity_type="engineer", entity_id=b["id"],
                    actor_id=disp.id)
    assert ev.changes == {"team": [None, "华南服务组"]}

    def ids(**params: Any) -> tuple[list[int], int]:
        r = client.get(URL, params=params, headers=disp.headers)
        assert r.status_code == 200, r.text
        return [x["id"] for x in r.json()["items"]], r.json()["total"]

    assert ids(team="华南服务组") == ([a, b["id"]], 2)
    assert ids(team=" 华东服务组 ") == ([c], 1)
    assert ids(team="华南服务组", limit=1, offset=1) == ([b["id"]], 2)
    assert ids(team="华南服务组", region="华东") == ([], 0)
    assert ids(team="西北服务组") == ([], 0)

    def teams(role: str = "dispatcher") -> list[dict[str, Any]]:
        r = client.get(f"{URL}/teams", headers=f.user(role).headers)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    assert teams("director") == [{"name": "华东服务组", "engineers": 1},
                                 {"name": "华南服务组", "engineers": 2}]
    # leaving the team: null
    r = client.patch(f"{URL}/{c}", headers=disp.headers, json={"team": None})
    assert (r.status_code, r.json()["team"]) == (200, None)
    assert teams("agent") == [{"name": "华南服务组", "engineers": 2}]
    assert ids(team="华东服务组") == ([], 0)
    r = client.get(f"{URL}/teams", headers=f.user("engineer").headers)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize(("team", "code"), [("", "string_too_short"), ("   ", "string_too_short"),
                                            ("组" * 65, "string_too_long"), (7, "string_type")])
def test_a_team_name_is_1_to_64_characters(client, disp, db, team, code):
    eid = _create(client, disp, team="组" * 64)["id"]
    n_users, before = count(db, User), last_seq(db)
    for method, url in (("POST", URL), ("PATCH", f"{URL}/{eid}")):
        body = _new("eng.x", team=team) if method == "POST" else {"team": team}
        r = client.request(method, url, headers=disp.headers, json=body)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error"), r.text
        assert (r.json()["details"][0]["field"], r.json()["details"][0]["code"]) == (
            "team", code)
    assert count(db, User) == n_users and last_seq(db) == before


def test_search_by_name_username_or_phone(client, f, disp):
    a = _create(client, disp, "wang.gong", display_name="王工 Wang", phone="13900001111")["id"]
    b = _create(client, disp, "zhao.gong", display_name="赵工", phone="0755-88889999")["id"]

    def ids(q: str) -> list[int]:
        r = client.get(URL, params={"q": q}, headers=disp.headers)
        assert r.json()["total"] == len(r.json()["items"])
        return [x["id"] for x in r.json()["items"]]

    assert ids("王") == [a]
    assert ids("wang") == [a]  # case-insensitive on every backend
    assert ids("工") == [a, b]
    assert ids("zhao.gong") == [b]
    assert ids("zhao") == []  # usernames match exactly
    assert ids("0755-88889999") == [b]
    assert ids("13900001111") == [a]
    assert ids("%") == []


def test_validation_errors(client, f, disp, db):
    n_users, before = count(db, User), last_seq(db)
    r = client.post(URL, headers=disp.headers, json=_new(phone="88889999"))
    assert r.status_code == 422
    assert "需含区号,示例:0755-88889999" in r.json()["message"]
    r = client.post(URL, headers={**disp.headers, "Accept-Language": "en"},
                    json=_new(phone="88889999"))
    assert r.json()["message"] == "phone: Include the area code, e.g. 0755-88889999"
    cases = [(_new(skills=[]), "skills", "too_short"),
             (_new(cert_level=6), "cert_level", "less_than_equal"),
             (_new(cert_level=0), "cert_level", "greater_than_equal"),
             (_new(max_load=0), "max_load", "greater_than_equal"),
             (_new(username="li gong"), "username", "string_pattern_mismatch"),
             (_new(password="short"), "password", "string_too_short"),
             (_new(home_lat=95), "home_lat", "less_than_equal"),
             (_new(role="admin"), "role", "extra_forbidden"),
             (_new(supervisor_id=2**31), "supervisor_id", "less_than_equal"),
             ({k: v for k, v in _new().items() if k != "region"}, "region", "missing")]
    for body, field, code in cases:
        r = client.post(URL, headers=disp.headers, json=body)
        assert r.status_code == 422, body
        assert r.json()["code"] == "validation_error"
        assert (r.json()["details"][0]["field"], r.json()["details"][0]["code"]) == (field, code)
    assert count(db, User) == n_users and last_seq(db) == before


def test_conflicts_and_bad_links_leave_no_half_record(client, f, disp, db):
    _create(client, disp, "li.gong")
    n_users, n_eng, before = count(db, User), count(db, Engineer), last_seq(db)
    for username in ("li.gong", "LI.GONG"):
        r = client.post(URL, headers=disp.headers, json=_new(username))
        assert (r.status_code, r.json()["code"]) == (409, "username_taken"), username
    r = client.post(URL, headers=disp.headers, json=_new("new.one", supervisor_id=424242))
    assert (r.status_code, r.json()["code"]) == (400, "supervisor_not_found")
    assert (count(db, User), count(db, Engineer), last_seq(db)) == (n_users, n_eng, before)


def test_patch_cannot_null_a_required_field(client, disp, db):
    eid = _create(client, disp)["id"]
    before = last_seq(db)
    for field in ("skills", "cert_level", "home_base", "region", "max_load"):
        r = client.patch(f"{URL}/{eid}", headers=disp.headers, json={field: None})
        assert (r.status_code, r.json()["details"][0]["code"]) == (422, "null_not_allowed"), field
    assert last_seq(db) == before
    # nothing to change: no event either
    r = client.patch(f"{URL}/{eid}", headers=disp.headers, json={"region": "华南"})
    assert r.status_code == 200 and last_seq(db) == before


def test_missing_or_impossible_ids(client, disp):
    for method, body in (("GET", None), ("PATCH", {"max_load": 3})):
        r = client.request(method, f"{URL}/424242", headers=disp.headers, json=body)
        assert r.status_code == 404
        assert r.json()["code"] == "not_found"
        assert r.json()["messages"] == {"zh-CN": "工程师不存在", "en": "Engineer not found"}
    for bad in ("abc", "0", "2147483648"):
        r = client.get(f"{URL}/{bad}", headers=disp.headers)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error"), bad

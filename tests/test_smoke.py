"""The closed loop end to end over HTTP."""


def test_closed_loop_over_http(client, f):
    admin, eng = f.user("admin"), f.user("engineer")
    cust = f.customer()
    r = client.post("/api/v1/work-orders", json={"type": "repair", "title": "主轴异响",
                                                 "customer_id": cust}, headers=admin.headers)
    assert r.status_code == 201, r.text
    oid = r.json()["id"]
    assert r.json()["number"].startswith("WO-")

    def act(user, **body):
        return client.post(f"/api/v1/work-orders/{oid}/transitions", json=body,
                           headers=user.headers)

    assert act(admin, action="assign", assignee_id=eng.id).status_code == 200
    assert act(eng, action="accept").status_code == 200
    assert act(eng, action="start").status_code == 200
    r = act(eng, action="resolve")
    assert r.status_code == 409 and r.json()["code"] == "repair_note_required"
    r = client.patch(f"/api/v1/work-orders/{oid}", headers=eng.headers,
                     json={"repair_note": "更换轴承", "photo_refs": ["p/1.jpg"]})
    assert r.status_code == 200, r.text
    assert act(eng, action="resolve").json()["state"] == "awaiting_confirmation"
    r = act(eng, action="close")
    assert r.status_code == 403 and r.json()["code"] == "role_not_allowed"
    r = client.post(f"/api/v1/work-orders/{oid}/confirmations", headers=eng.headers,
                    json={"kind": "customer", "signed_by": "王经理"})
    assert r.status_code == 201
    r = act(admin, action="close")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    events = client.get(f"/api/v1/work-orders/{oid}/events", headers=admin.headers).json()
    actions = [e["action"] for e in events["items"]]
    assert actions[0] == "create" and "transition:close" in actions

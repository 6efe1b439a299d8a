"""Rows and details name the fault type by its preset label: the model's preset wins over
the family's, the family's over the generic one, and an unknown code shows as itself."""

from bihuan.devices.models import FaultPreset

WO = "/api/v1/work-orders"


def _presets(f, *rows):
    with f.session() as s:
        s.add_all(FaultPreset(family=fam, model=model, code=code, label_zh=zh, label_en=en)
                  for fam, model, code, zh, en in rows)


def test_labels_follow_the_most_specific_preset(client, f):
    agent = f.user("agent")
    _presets(f, ("HR-E", None, "alarm", "注塑机报警", "Moulder alarm"),
             (None, "HR-E3500", "alarm", "E3500 报警", "E3500 alarm"))
    generic = f.device(f.customer(), family="HR-M", model="HR-M5000")
    family = f.device(f.customer(), family="HR-E", model="HR-E3200")
    model = f.device(f.customer(), family="HR-E", model="HR-E3500")
    ids = {}
    for name, device in (("generic", generic), ("family", family), ("model", model)):
        ids[name] = f.order("new", device_id=device, fault_type="alarm")
    ids["unknown"] = f.order("new", fault_type="漏水")
    ids["none"] = f.order("new")
    expected = {"generic": "报警/错误代码", "family": "注塑机报警", "model": "E3500 报警",
                "unknown": "漏水", "none": None}
    rows = {r["id"]: r for r in client.get(WO, headers=agent.headers).json()["items"]}
    for name, oid in ids.items():
        label = rows[oid]["fault_label"]
        assert (label or {}).get("zh-CN") == expected[name], name
        detail = client.get(f"{WO}/{oid}", headers=agent.headers).json()
        assert detail["fault_label"] == label, name
    assert rows[ids["model"]]["fault_label"]["en"] == "E3500 alarm"

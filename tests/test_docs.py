"""API docs work on an offline network: Swagger UI is served from the package, not a CDN."""


def test_docs_page_loads_nothing_from_outside(client):
    r = client.get("/docs")
    assert r.status_code == 200
    assert "https://" not in r.text
    for asset in ("/static/swagger/swagger-ui-bundle.js", "/static/swagger/swagger-ui.css"):
        assert asset in r.text
        assert client.get(asset).status_code == 200


def test_openapi_lists_the_core_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/v1/auth/login", "/api/v1/work-orders", "/api/v1/work-orders/{order_id}",
              "/api/v1/work-orders/{order_id}/transitions", "/api/v1/work-orders/{order_id}/events",
              "/api/v1/customers", "/api/v1/devices", "/api/v1/engineers"):
        assert p in paths

"""App-wide behaviour: the index page, CORS for browser frontends, paths outside providers."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate
from starlette.testclient import TestClient

from sharemock.providers import PROVIDERS


def test_index_links_every_provider_docs(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for provider in PROVIDERS:
        assert f'href="{provider.prefix}/ui/"' in response.text
        assert f'href="{provider.prefix}/openapi.json"' in response.text
    # A dialect says whose state it shares.
    deployed = response.text.split('<section id="defdrive-deployed">')[1].split("</section>")[0]
    assert "on the same state as <code>/defdrive</code>" in deployed


def test_swagger_ui_is_version_5_served_by_the_mock(client: TestClient) -> None:
    page = client.get("/defdrive/ui/").text
    assert "../../__docs/swagger-ui/swagger-ui-bundle.js" in page
    bundle = client.get("/__docs/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert b'"5.' in bundle.content and b"4.15.5" not in bundle.content


def test_docs_sign_in_with_the_development_credentials(client: TestClient) -> None:
    signed = {
        provider.name: client.get(f"/__docs/credentials/{provider.name}.json").json()
        for provider in PROVIDERS
    }
    assert signed["oracle"]["authorizations"] == [
        {"scheme": "basicAuth", "user": "useraa", "password": "welcome1"}
    ]
    assert signed["filerobot"]["authorizations"] == [
        {"scheme": "filerobotKey", "value": "demo-key"}
    ]
    assert signed["koodrive"]["authorizations"] == [
        {"scheme": "accessToken", "value": "Bearer demo-access-token"}
    ]
    (defdrive,) = signed["defdrive"]["authorizations"]
    token = defdrive["value"]
    assert defdrive["scheme"] == "bearerAuth"
    answer = client.get("/defdrive/api/accesses/456", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert client.get("/__docs/credentials/nobody.json").status_code == 404


def test_contract_sources_are_served_as_written(client: TestClient) -> None:
    from sharemock.config import REPO_SPEC_DIR

    for name, file in [(p.name, p.spec_file) for p in PROVIDERS] + [("admin", "admin.yaml")]:
        response = client.get(f"/__docs/contracts/{name}.yaml")
        assert response.status_code == 200
        assert response.text == (REPO_SPEC_DIR / file).read_text(encoding="utf-8")


def test_every_provider_serves_swagger_ui_and_its_spec(client: TestClient) -> None:
    for provider in PROVIDERS:
        assert client.get(f"{provider.prefix}/ui/").status_code == 200
        spec = client.get(f"{provider.prefix}/openapi.json").json()
        assert spec["servers"][0]["url"] == provider.prefix  # this mock, wherever it runs
        validate(spec)  # the document as served, not only the file, is valid OpenAPI


def test_cors_preflight_and_exposed_detail(client: TestClient) -> None:
    origin = "http://localhost:5173"
    preflight = client.options(
        "/defdrive/api/access/456",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "PUT" in preflight.headers["access-control-allow-methods"]

    refused = client.put("/defdrive/api/access/456", headers={"Origin": origin}, json={})
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == origin
    assert "x-sharemock-detail" in refused.headers["access-control-expose-headers"].lower()


def test_path_outside_every_provider_is_a_plain_404(client: TestClient) -> None:
    response = client.get("/no-such-provider/api")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_koodrive_real_paths_are_answered_as_sent(client: TestClient) -> None:
    """KooDrive's real paths begin with /koodrive: a client using the mock as host sends them."""
    headers = {"Authorization": "Bearer demo-access-token"}
    mounted = client.get("/koodrive/koodrive/ose/v1/share/1689743054514187776", headers=headers)
    real = client.get("/koodrive/ose/v1/share/1689743054514187776", headers=headers)
    assert real.status_code == mounted.status_code == 200
    assert real.json() == mounted.json()

    refused = client.get("/koodrive/ose/v1/share/nope", headers=headers)
    assert refused.status_code == 400
    assert refused.json()["code"] == "13000102"
    # The docs stay where they are.
    assert client.get("/koodrive/openapi.json").status_code == 200


def test_inline_wsgi_sends_the_whole_answer_and_an_error_page_replaces_it() -> None:
    """Flask's side of the app, called on the event loop (sharemock/flask_glue.py)."""
    import asyncio

    from sharemock.flask_glue import InlineWSGI

    def wsgi(environ: dict, start_response: Any) -> list[bytes]:  # type: ignore[type-arg]
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"partial ")
        if environ["wsgi.input"].read() == b"fail":
            start_response("500 Oops", [("X-Error", "1")], (None, None, None))
            return [b"error page"]
        return [b"rest"]

    def run(body: bytes) -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []
        parts = [body[:2], body[2:]]

        async def receive() -> dict[str, Any]:
            part = parts.pop(0)
            return {"type": "http.request", "body": part, "more_body": bool(parts)}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"",
                 "http_version": "1.1", "headers": [], "server": ("h", 80)}  # fmt: skip
        asyncio.run(InlineWSGI(wsgi)(scope, receive, send))
        return sent

    start, body = run(b"fine")
    assert (start["status"], body["body"]) == (200, b"partial rest")
    start, body = run(b"fail")
    assert (start["status"], start["headers"], body["body"]) == (
        500,
        [(b"x-error", b"1")],
        b"error page",
    )

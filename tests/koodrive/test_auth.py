"""KooDrive's access token: every protected operation refuses a missing or bad one with 401."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.config import Settings
from sharemock.providers import provider_named
from sharemock.providers.koodrive.fixtures import DEMO_SPACE
from tests.koodrive.conftest import API, DEMO_SHARE

UNAUTHENTICATED = {"code": "APIGW.0301", "msg": "Incorrect authentication information."}

BAD_AUTHORIZATIONS: dict[str, dict[str, str]] = {
    "missing": {},
    "empty": {"Authorization": ""},
    "blank": {"Authorization": "   "},
    "scheme only": {"Authorization": "Bearer "},
    "scheme and plus only": {"Authorization": "Bearer+"},
    "unknown token": {"Authorization": "Bearer not-a-token"},
    "unknown raw token": {"Authorization": "not-a-token"},
    "unknown Bearer+ token": {"Authorization": "Bearer+not-a-token"},
    "another scheme": {"Authorization": "Basic ZGVtbzpkZW1vLWFjY2Vzcy10b2tlbg=="},
    "token with a suffix": {"Authorization": "Bearer demo-access-token2"},
    "token with another case": {"Authorization": "Bearer DEMO-ACCESS-TOKEN"},
    "app auth (not modelled)": {
        "Authorization": "HMAC-SHA256 AppId=a3,SignedHeaders=host;x-date;x-user-id,Signature=bd"
    },
    "very long": {"Authorization": "Bearer " + "x" * 5000},
}

# Each protected operation, with a body it would accept from the share's owner.
PROTECTED: list[tuple[str, str, Any]] = [
    (
        "POST",
        API,
        {
            "fileIds": ["FumFysUZDLUEAGaRDVyFC76wn87hIwVpB"],
            "containerId": DEMO_SPACE,
            "scope": 1,
            "validDays": 7,
        },
    ),
    ("GET", API, None),
    ("GET", f"{API}/{DEMO_SHARE}", None),
    ("PUT", f"{API}/{DEMO_SHARE}", {"validDays": 30, "comment": "refused"}),
    ("POST", f"{API}/cancel", {"shareIds": [DEMO_SHARE]}),
]


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED)
def test_every_protected_operation_refuses_missing_and_bad_tokens(
    client: TestClient, demo: dict[str, str], method: str, path: str, body: Any
) -> None:
    before = client.get(API, headers=demo).json()
    for case, headers in BAD_AUTHORIZATIONS.items():
        response = client.request(method, path, headers=headers, json=body)
        assert response.status_code == 401, case
        assert response.json() == UNAUTHENTICATED, case
        assert response.headers["content-type"] == "application/json", case
        assert response.headers["X-Sharemock-Detail"], case
    # ... and nothing was changed by the refused calls.
    assert client.get(API, headers=demo).json() == before


@pytest.mark.parametrize(
    "authorization",
    [
        "demo-access-token",  # the raw token (the authentication page)
        "Bearer demo-access-token",
        "Bearer+demo-access-token",  # the parameter tables' literal form
        "bearer demo-access-token",  # HTTP auth schemes are case-insensitive
        "  Bearer   demo-access-token  ",
    ],
)
def test_accepted_authorization_forms(client: TestClient, authorization: str) -> None:
    response = client.get(f"{API}/{DEMO_SHARE}", headers={"Authorization": authorization})
    assert response.status_code == 200
    assert response.json()["shareLink"]["ownerId"] == "1681759180324844417"


def test_auth_is_checked_before_parameters(client: TestClient) -> None:
    """An unauthenticated request learns nothing, not even that its parameters are wrong."""
    response = client.put(f"{API}/not-an-id", json={"validDays": -1})
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_dev_credentials_are_the_fixture_tokens() -> None:
    provider = provider_named("koodrive")
    settings = Settings()
    assert provider.dev_credential("demo", settings) == "demo-access-token"
    assert provider.dev_credential("other", settings) == "other-access-token"
    assert provider.dev_headers("demo", settings) == {"Authorization": "Bearer demo-access-token"}
    with pytest.raises(LookupError, match="demo, other"):
        provider.dev_credential("nobody", settings)

"""Black-box: seed 003's example request, sent verbatim, answers with its example response.

Seed 003 (`../shared/seeds/003_157e0eaf022bf5f9.txt`): Edit Public Link, in JSON and in XML.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import connexion
import pytest
from starlette.testclient import TestClient

from sharemock.providers.oracle.store import link_by_id
from tests.conftest import FrozenClock
from tests.oracle.conftest import LINK, LINK_PATH, XML_HEADERS, from_xml, to_xml_body

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

# The seed's example request body (its "Examples" section), byte for byte.
SEED_BODY = """{
\t"assignedUsers": "@everybody",
\t"expirationTime": "2016-02-15T01:02:03",
\t"password": "password2",
\t"role": "viewer"
}"""

# The seed's example response, in the order of its "Example application/json".
SEED_RESPONSE = {
    "linkID": "LFCE8A35C88A6A96FD39B621T0000000000100000001",
    "linkName": "pub-test-158",
    "assignedUsers": "@everybody",
    "role": "viewer",
    "type": "publiclink",
    "createdTime": "2015-06-05T21:04:56Z",
    "expirationTime": "2016-02-15T01:02:03Z",
    "lastModifiedTime": "2015-06-10T22:01:08Z",
    "ownedBy": {
        "id": "U0EAA20910FAF3052ACB79E4T00000000001",
        "displayName": "User AA",
        "type": "user",
    },
    "errorCode": "0",
}
# The seed's example edit happened at its lastModifiedTime: with the clock there, the mock's
# answer is the seed's, field for field.
SEED_EDIT_TIME = datetime(2015, 6, 10, 22, 1, 8, tzinfo=UTC)


def _xml_seed_body() -> bytes:
    return to_xml_body("PublicLinkEditBody", json.loads(SEED_BODY))


def test_seed_edit_in_json_is_the_seeds_answer(
    client: TestClient, aa: dict[str, str], clock: FrozenClock
) -> None:
    clock.moment = SEED_EDIT_TIME
    response = client.put(
        LINK_PATH, headers={**aa, "Content-Type": "application/json"}, content=SEED_BODY
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body == SEED_RESPONSE
    assert list(body) == list(SEED_RESPONSE)
    assert list(body["ownedBy"]) == list(SEED_RESPONSE["ownedBy"])  # type: ignore[arg-type]


def test_seed_edit_in_xml_is_the_seeds_answer(
    client: TestClient, aa: dict[str, str], clock: FrozenClock
) -> None:
    clock.moment = SEED_EDIT_TIME
    response = client.put(LINK_PATH, headers={**aa, **XML_HEADERS}, content=_xml_seed_body())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    root, body = from_xml(response.content, "PublicLinkGetResponse")
    assert root == "PublicLinkGetResponse"
    assert body == SEED_RESPONSE
    assert list(body) == list(SEED_RESPONSE)


@pytest.mark.parametrize(
    ("content_type", "accept"),
    [
        ("application/json", "application/json"),
        ("application/xml", "application/xml"),
        ("application/json", "application/xml"),
        ("application/xml", "application/json"),
    ],
)
def test_seed_edit_today_fixes_every_field_but_the_edit_time(
    client: TestClient, aa: dict[str, str], clock: FrozenClock, content_type: str, accept: str
) -> None:
    content = SEED_BODY.encode() if content_type.endswith("json") else _xml_seed_body()
    headers = {**aa, "Content-Type": content_type, "Accept": accept}
    response = client.put(LINK_PATH, headers=headers, content=content)

    assert response.status_code == 200
    assert response.headers["content-type"] == accept
    if accept.endswith("json"):
        body = response.json()
    else:
        body = from_xml(response.content, "PublicLinkGetResponse")[1]
    assert list(body) == list(SEED_RESPONSE)
    for field, value in SEED_RESPONSE.items():
        assert type(body[field]) is type(value), field
        if field != "lastModifiedTime":
            assert body[field] == value, field
    # lastModifiedTime is the time of this edit, in Oracle's form.
    assert body["lastModifiedTime"] == clock().strftime("%Y-%m-%dT%H:%M:%SZ")


def test_seed_password_is_stored_but_never_answered(
    app: connexion.FlaskApp, client: TestClient, aa: dict[str, str]
) -> None:
    response = client.put(
        LINK_PATH, headers={**aa, "Content-Type": "application/json"}, content=SEED_BODY
    )
    assert "password" not in response.json()
    assert "password" not in client.get(LINK_PATH, headers=aa).json()
    with app.runtime.database.reading() as conn:
        stored = link_by_id(conn, LINK)
    assert stored is not None and stored.settings.password == "password2"


def test_expiration_with_z_is_the_same_instant(client: TestClient, aa: dict[str, str]) -> None:
    body = json.loads(SEED_BODY) | {"expirationTime": "2016-02-15T01:02:03Z"}
    response = client.put(LINK_PATH, headers=aa, json=body)
    assert response.json()["expirationTime"] == "2016-02-15T01:02:03Z"

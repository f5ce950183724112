"""Frontend controls in-process: `Prefer` and `__` settings, rules, the clock, the admin API.

Faults on a real connection, delays measured from a socket and several workers are in
`test_controls_wire.py`; generated bodies and scenarios are tested on their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.config import Settings
from sharemock.controls.board import Board
from sharemock.providers import PROVIDERS
from sharemock.state import open_database
from tests.conftest import FrozenClock

Credential = Callable[[str, str], str]

DEFDRIVE_LINK = "0c2a8e5b9f6d4e1a8b7c3d2e1f0a9b8c"  # access 456's
FILEROBOT_SEED = "/filerobot/demo/v5/share/028f53bb-0148-409f-88ed-483dd8c33e6e"
FILEROBOT_OTHER_PUID = "Rm3XcV9bTq2LwP8nZs5KdY7hGf"
ORACLE_LINK = "/oracle/documents/api/1.2/publiclinks/LFCE8A35C88A6A96FD39B621T0000000000100000001"
KOODRIVE_API = "/koodrive/koodrive/ose/v1/share"
KOODRIVE_SHARE = f"{KOODRIVE_API}/1689743054514187776"


def _headers(provider: str, credential: Credential) -> dict[str, str]:
    if provider == "filerobot":
        return {"X-Filerobot-Key": credential("filerobot", "demo")}
    user = {"defdrive": "johndoe", "oracle": "useraa", "koodrive": "demo"}[provider]
    return {"Authorization": f"Bearer {credential(provider, user)}"}


@dataclass(frozen=True)
class Case:
    """A write whose answer is forced, and the read that shows whether it changed anything."""

    provider: str  # whose credentials
    method: str
    path: str
    body: dict[str, Any]
    read: str
    code: int  # a documented status with an example
    native: dict[str, Any]  # that example, in the provider's shape
    example: str  # a named example of the write's
    example_body: dict[str, Any]
    documented: str  # the statuses the refusal of an undocumented one lists
    server_error: dict[str, Any] = field(default_factory=dict)  # its documented 5xx


CASES = {
    "defdrive": Case(
        "defdrive",
        "PUT",
        "/defdrive/api/access/456",
        {"name": "forced", "public": True},
        "/defdrive/api/accesses/456",
        403,
        {"error": "You don't have permission to update this access"},
        "invalidBody",
        {"error": "Invalid request body"},
        "200, 400, 401, 403, 404, 500",
        {"error": "Failed to update access record"},
    ),
    "defdrive-deployed": Case(
        "defdrive",
        "PUT",
        "/defdrive-deployed/api/accesses/456/access",
        {"name": "forced", "public": True},
        "/defdrive/api/accesses/456",
        403,
        {"error": "You don't have permission to update this access"},
        "invalidAccessId",
        {"error": "Invalid access ID"},
        "200, 400, 401, 403, 404, 500",
    ),
    "filerobot": Case(
        "filerobot",
        "PUT",
        FILEROBOT_SEED,
        {"title": "forced"},
        FILEROBOT_SEED,
        409,
        {
            "status": "error",
            "msg": "The uuid in the request body does not match the sharebox uuid in the path",
        },
        "invalidUuid",
        {"status": "error", "msg": "Invalid sharebox uuid"},
        "200, 400, 401, 403, 404, 409, 500",
        {"status": "error", "msg": "Failed to update the share"},
    ),
    "oracle": Case(
        "oracle",
        "PUT",
        ORACLE_LINK,
        {"role": "contributor"},
        ORACLE_LINK,
        403,
        {
            "errorCode": "-20",
            "errorKey": "!csUserInsufficientPrivileges",
            "errorMessage": "The user does not have read permission.",
        },
        "",  # editPublicLink names no examples
        {},
        "200, 400, 401, 403, 404",
    ),
    "koodrive": Case(
        "koodrive",
        "PUT",
        KOODRIVE_SHARE,
        {"validDays": 30, "comment": "forced"},
        KOODRIVE_SHARE,
        404,
        {
            "code": "APIGW.0101",
            "msg": "The API does not exist or has not been published in the environment.",
        },
        "unknownShare",
        {"code": "13000309", "msg": "The resource does not exist."},
        "200, 400, 401, 404, 500",
        {"code": "13000000", "msg": "Internal server error."},
    ),
}
EACH_PROVIDER = pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
NAMING_EXAMPLES = pytest.mark.parametrize(
    "case", [c for c in CASES.values() if c.example], ids=[n for n, c in CASES.items() if c.example]
)
# How each provider words "bad request", to tell its native refusal.
BAD_REQUEST_TEXT = {
    "defdrive": lambda body: body["error"],
    "filerobot": lambda body: body["msg"],
    "oracle": lambda body: body["errorMessage"],
    "koodrive": lambda body: body["msg"],
}


def _send(client: TestClient, case: Case, credential: Credential, **headers: str) -> Any:
    auth = _headers(case.provider, credential)
    return client.request(case.method, case.path, json=case.body, headers={**auth, **headers})


def _read(client: TestClient, case: Case, credential: Credential) -> Any:
    response = client.get(case.read, headers=_headers(case.provider, credential))
    assert response.status_code == 200, response.text
    body = response.json()
    body.pop("info", None)  # Filerobot's timing of the answer
    return body


def _refusal(response: Any, case: Case) -> str:
    """The text of a provider's native 400, which must be its shape, not problem+json."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    assert "preference-applied" not in response.headers
    return str(BAD_REQUEST_TEXT[case.provider](response.json()))


def _rule(client: TestClient, **rule: Any) -> dict[str, Any]:
    response = client.post("/__admin/rules", json=rule)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def _clock(client: TestClient, **change: Any) -> dict[str, Any]:
    response = client.post("/__admin/clock", json=change)
    assert response.status_code == 200, response.text
    now: dict[str, Any] = response.json()
    return now


# --- code=, example=, fault=5xx: the contract's answer, in the provider's shape, no change ---


@EACH_PROVIDER
@pytest.mark.parametrize("asked_by", ["prefer", "query"])
def test_forced_code_answers_the_contract_example_and_changes_nothing(
    client: TestClient, credential: Credential, case: Case, asked_by: str
) -> None:
    before = _read(client, case, credential)
    if asked_by == "prefer":
        forced = _send(client, case, credential, Prefer=f"code={case.code}")
    else:
        auth = _headers(case.provider, credential)
        path = f"{case.path}?__code={case.code}"
        forced = client.request(case.method, path, json=case.body, headers=auth)
    assert (forced.status_code, forced.json()) == (case.code, case.native)
    assert forced.headers["preference-applied"] == f"code={case.code}"
    assert _read(client, case, credential) == before


@EACH_PROVIDER
def test_an_undocumented_code_is_a_native_400_listing_the_documented(
    client: TestClient, credential: Credential, case: Case
) -> None:
    before = _read(client, case, credential)
    text = _refusal(_send(client, case, credential, Prefer="code=418"), case)
    assert text.startswith("code=418: ")
    assert f"(it documents {case.documented})" in text
    assert _read(client, case, credential) == before


@NAMING_EXAMPLES
def test_a_named_example_is_answered(
    client: TestClient, credential: Credential, case: Case
) -> None:
    forced = _send(client, case, credential, Prefer=f"example={case.example}")
    assert forced.json() == case.example_body
    assert forced.headers["preference-applied"] == f"example={case.example}"


@EACH_PROVIDER
def test_an_unknown_example_is_a_native_400_listing_the_names(
    client: TestClient, credential: Credential, case: Case
) -> None:
    text = _refusal(_send(client, case, credential, Prefer="example=nope"), case)
    assert text.startswith("example=nope: ")
    if case.example:
        assert f"{case.example} (" in text
    else:
        assert "has no named examples" in text


@EACH_PROVIDER
def test_fault_5xx_answers_the_documented_server_error(
    client: TestClient, credential: Credential, case: Case
) -> None:
    before = _read(client, case, credential)
    forced = _send(client, case, credential, Prefer="fault=5xx")
    assert forced.status_code == 500
    assert forced.headers["preference-applied"] == "fault=5xx"
    if case.server_error:
        assert forced.json() == case.server_error
    assert _read(client, case, credential) == before


@pytest.mark.parametrize(("code", "root"), [(200, "PublicLinkGetResponse"), (404, "ErrorResponse")])
def test_a_forced_answer_in_xml_has_the_root_its_schema_names(
    client: TestClient, credential: Credential, code: int, root: str
) -> None:
    forced = client.get(
        ORACLE_LINK,
        headers={
            **_headers("oracle", credential),
            "Accept": "application/xml",
            "Prefer": f"code={code}",
        },
    )
    assert (forced.status_code, forced.headers["content-type"]) == (code, "application/xml")
    assert ElementTree.fromstring(forced.content).tag == root


def test_fault_5xx_of_an_operation_documenting_none_is_the_providers_generic_error(
    client: TestClient, credential: Credential
) -> None:
    forced = client.get(
        "/defdrive/api/accesses/456",
        headers={**_headers("defdrive", credential), "Prefer": "fault=5xx"},
    )
    assert (forced.status_code, forced.json()) == (500, {"error": "Internal server error"})
    assert forced.headers["preference-applied"] == "fault=5xx"


def test_a_forced_answer_needs_no_credentials(client: TestClient) -> None:
    forced = client.get(f"{KOODRIVE_API}?__code=200")
    assert forced.status_code == 200
    assert forced.json()["code"] == 0


# --- bad values and preferences that are not ours ---


@pytest.mark.parametrize(
    ("setting", "reason"),
    [
        ("delay=abc", "delay='abc': give milliseconds, as 800 or 200-900"),
        ("delay=70000", "delay=70000: at most 60000 ms"),
        ("delay=900-200", "delay=900-200: the range's lowest comes first"),
        ("code=99", "code=99: must be between 100 and 599"),
        ("fault=nope", "fault='nope': one of reset, empty, malformed, garbage, dribble, 5xx"),
    ],
)
@pytest.mark.parametrize("where", ["prefer", "query"])
def test_a_bad_value_is_a_native_400_saying_why(
    client: TestClient, credential: Credential, setting: str, reason: str, where: str
) -> None:
    case = CASES["koodrive"]
    before = _read(client, case, credential)
    auth = _headers("koodrive", credential)
    if where == "prefer":
        response = client.put(case.path, json=case.body, headers={**auth, "Prefer": setting})
    else:
        response = client.put(f"{case.path}?__{setting}", json=case.body, headers=auth)
    assert response.json() == {"code": "13000102", "msg": reason}
    assert response.status_code == 400
    assert _read(client, case, credential) == before


@EACH_PROVIDER
def test_a_bad_value_answers_in_each_providers_shape(
    client: TestClient, credential: Credential, case: Case
) -> None:
    text = _refusal(_send(client, case, credential, Prefer="delay=abc"), case)
    assert text == "delay='abc': give milliseconds, as 800 or 200-900"


def test_an_unknown_double_underscore_parameter_is_refused_naming_ours(
    client: TestClient, credential: Credential
) -> None:
    response = client.get("/defdrive/api/files?__cod=403", headers=_headers("defdrive", credential))
    assert response.status_code == 400
    assert response.json()["error"].startswith("unknown control __cod (known: __code, ")


def test_preferences_not_ours_are_ignored(client: TestClient, credential: Credential) -> None:
    auth = _headers("defdrive", credential)
    plain = client.get("/defdrive/api/files", headers={**auth, "Prefer": "return=minimal"})
    assert plain.status_code == 200
    assert "preference-applied" not in plain.headers
    mixed = client.get(
        "/defdrive/api/files", headers={**auth, "Prefer": "return=minimal, respond-async, code=401"}
    )
    assert mixed.status_code == 401
    assert mixed.headers["preference-applied"] == "code=401"


def test_a_delay_range_names_the_delay_drawn(client: TestClient, credential: Credential) -> None:
    auth = _headers("koodrive", credential)
    drawn = []
    for _ in range(5):
        answer = client.get(KOODRIVE_API, headers={**auth, "Prefer": "delay=10-30"})
        applied = answer.headers["preference-applied"]
        assert applied.startswith("delay=") and "-" not in applied, applied
        drawn.append(int(applied.removeprefix("delay=")))
    assert all(10 <= ms <= 30 for ms in drawn), drawn


# --- `__` parameters never reach validation; the others arrive as sent ---


def test_double_underscore_parameters_pass_a_strict_provider(
    client: TestClient, credential: Credential
) -> None:
    """KooDrive refuses undeclared query parameters; ours are gone before it looks."""
    auth = _headers("koodrive", credential)
    listed = client.get(f"{KOODRIVE_API}?displayName=jpeg&__delay=1", headers=auth)
    assert listed.status_code == 200, listed.text
    assert listed.headers["preference-applied"] == "delay=1"
    assert [s["displayName"] for s in listed.json()["shareLinks"]] == ["jpeg_20250513_103635.jpeg"]
    # displayName arrived: a filter matching nothing lists nothing.
    none = client.get(f"{KOODRIVE_API}?__delay=1&displayName=no%20such%20name", headers=auth)
    assert none.json()["shareLinks"] == []
    # Other undeclared parameters are still refused, in KooDrive's words.
    extra = client.get(f"{KOODRIVE_API}?__delay=1&bogus=1", headers=auth)
    assert (extra.status_code, extra.json()["code"]) == (400, "13000102")


# --- delays, alone and combined ---


def test_code_and_delay_combine(client: TestClient, credential: Credential) -> None:
    started = time.monotonic()
    forced = client.get(
        "/defdrive/api/accesses/456",
        headers={**_headers("defdrive", credential), "Prefer": "code=403, delay=200"},
    )
    assert time.monotonic() - started >= 0.2
    assert forced.status_code == 403
    assert forced.headers["preference-applied"] == "code=403, delay=200"


@pytest.mark.parametrize("setting", ["delay=200", "delay=200, fault=dribble"])
def test_a_delay_or_dribble_holds_back_an_error_answer_too(
    client: TestClient, setting: str
) -> None:
    """A refusal raised by security (no credentials) is held back and marked like any answer."""
    started = time.monotonic()
    refused = client.get("/defdrive/api/files", headers={"Prefer": setting})
    assert time.monotonic() - started >= 0.2
    assert (refused.status_code, refused.json()) == (401, {"error": "User not authenticated"})
    assert refused.headers["preference-applied"] == setting


def test_a_dribbled_answer_arrives_whole_in_process(
    client: TestClient, credential: Credential
) -> None:
    auth = _headers("defdrive", credential)
    plain = client.get("/defdrive/api/accesses/456", headers=auth)
    started = time.monotonic()
    dribbled = client.get(
        "/defdrive/api/accesses/456", headers={**auth, "Prefer": "fault=dribble, delay=200"}
    )
    assert time.monotonic() - started >= 0.2
    assert dribbled.content == plain.content
    assert dribbled.headers["preference-applied"] == "delay=200, fault=dribble"


def test_a_connection_fault_in_process_says_it_needs_a_real_server(client: TestClient) -> None:
    refused = client.get("/defdrive/api/files", headers={"Prefer": "fault=reset"})
    assert refused.status_code == 400
    assert "needs a network connection" in refused.json()["error"]


# --- rules ---


def test_a_rule_for_one_time_holds_once_then_the_answer_is_normal(
    client: TestClient, credential: Credential
) -> None:
    auth = _headers("defdrive", credential)
    rule = _rule(client, provider="defdrive", operation="getAccess", times=1, answer={"code": 404})
    forced = client.get("/defdrive/api/accesses/456", headers=auth)
    assert (forced.status_code, forced.json()) == (404, {"error": "Access record not found"})
    assert forced.headers["x-sharemock-rule"] == rule["id"]
    assert forced.headers["preference-applied"] == "code=404"
    assert client.get("/defdrive/api/accesses/456", headers=auth).status_code == 200
    assert client.get(f"/__admin/rules/{rule['id']}").status_code == 404


def test_a_limited_rule_lists_the_uses_left(client: TestClient) -> None:
    rule = _rule(client, operation="listFiles", times=3, answer={"code": 401})
    client.get("/defdrive/api/files")
    assert client.get(f"/__admin/rules/{rule['id']}").json()["times"] == 2


def test_a_rule_for_another_provider_or_operation_does_not_hold(
    client: TestClient, credential: Credential
) -> None:
    _rule(client, provider="defdrive-deployed", operation="getAccess", answer={"code": 404})
    _rule(client, provider="defdrive", operation="listAccesses", answer={"code": 404})
    answer = client.get("/defdrive/api/accesses/456", headers=_headers("defdrive", credential))
    assert answer.status_code == 200
    assert "x-sharemock-rule" not in answer.headers


def test_probability_zero_never_holds_and_one_always_does(
    client: TestClient, credential: Credential
) -> None:
    auth = _headers("defdrive", credential)
    never = _rule(client, operation="getAccess", probability=0, answer={"code": 403})
    assert all(
        client.get("/defdrive/api/accesses/456", headers=auth).status_code == 200 for _ in range(5)
    )
    client.delete(f"/__admin/rules/{never['id']}")
    _rule(client, operation="getAccess", probability=1, answer={"code": 403})
    assert all(
        client.get("/defdrive/api/accesses/456", headers=auth).status_code == 403 for _ in range(5)
    )


def test_a_rule_matches_a_path_parameter(client: TestClient, credential: Credential) -> None:
    auth = _headers("defdrive", credential)
    _rule(client, operation="getAccess", path={"accessID": "457"}, answer={"code": 403})
    assert client.get("/defdrive/api/accesses/456", headers=auth).status_code == 200
    assert client.get("/defdrive/api/accesses/457", headers=auth).status_code == 403


def test_a_rule_matches_a_top_level_body_field(client: TestClient, credential: Credential) -> None:
    auth = _headers("defdrive", credential)
    _rule(client, operation="updateAccess", body={"name": "doomed"}, answer={"code": 403})
    path = "/defdrive/api/access/456"
    refused = client.put(path, headers=auth, json={"name": "doomed", "public": True})
    assert refused.status_code == 403
    # The body still reached the handler when the rule did not hold.
    kept = client.put(path, headers=auth, json={"name": "kept", "public": True})
    assert kept.status_code == 200
    assert kept.json()["access"]["name"] == "kept"


def test_a_rule_matches_a_body_field_by_json_pointer(
    client: TestClient, credential: Credential
) -> None:
    auth = _headers("filerobot", credential)
    _rule(
        client,
        operation="updateShare",
        body={"/auth/0/user": "agency"},
        answer={"code": 409},
    )

    def update(user: str) -> Any:
        return client.put(FILEROBOT_SEED, headers=auth, json={"auth": [{"user": user}]})

    assert update("agency").status_code == 409
    assert "x-sharemock-rule" not in update("someone else").headers


def test_a_session_rule_holds_for_its_header_and_cookie_only(
    client: TestClient, credential: Credential
) -> None:
    auth = _headers("defdrive", credential)
    path = "/defdrive/api/accesses/456"
    _rule(client, session="tab-1", answer={"code": 403})

    def status(**headers: str) -> int:
        return int(client.get(path, headers={**auth, **headers}).status_code)

    assert status(**{"X-Sharemock-Session": "tab-1"}) == 403
    assert status(Cookie="X-Sharemock-Session=tab-1") == 403
    assert status(Cookie="theme=dark; sharemock-session=tab-1") == 403
    assert status(**{"X-Sharemock-Session": "tab-2"}) == 200
    assert status(Cookie="X-Sharemock-Session=tab-2") == 200
    assert status() == 200


def test_a_sessions_own_rule_wins_over_everyones(
    client: TestClient, credential: Credential
) -> None:
    auth = _headers("defdrive", credential)
    path = "/defdrive/api/accesses/456"
    _rule(client, session="tab-1", answer={"code": 404})
    _rule(client, answer={"code": 403})
    assert client.get(path, headers={**auth, "X-Sharemock-Session": "tab-1"}).status_code == 404
    assert client.get(path, headers=auth).status_code == 403


def test_the_request_wins_over_a_rule(client: TestClient, credential: Credential) -> None:
    _rule(client, operation="getAccess", answer={"code": 403})
    answer = client.get(
        "/defdrive/api/accesses/456",
        headers={**_headers("defdrive", credential), "Prefer": "code=404"},
    )
    assert answer.status_code == 404


def test_rules_are_listed_got_deleted_and_cleared(client: TestClient) -> None:
    first = _rule(client, provider="oracle", answer={"delay": "100-200"})
    second = _rule(client, provider="koodrive", times=2, answer={"fault": "5xx"})
    assert first == {"id": first["id"], "provider": "oracle", "answer": {"delay": "100-200"}}
    listed = client.get("/__admin/rules").json()["rules"]
    assert listed == [second, first]  # newest first: the order they are tried
    assert client.get(f"/__admin/rules/{first['id']}").json() == first
    assert client.delete(f"/__admin/rules/{first['id']}").status_code == 204
    assert client.get(f"/__admin/rules/{first['id']}").status_code == 404
    assert client.delete(f"/__admin/rules/{first['id']}").status_code == 404
    assert client.delete("/__admin/rules").status_code == 204
    assert client.get("/__admin/rules").json() == {"rules": []}


@pytest.mark.parametrize(
    ("rule", "detail"),
    [
        ({"answer": {"code": 403}, "colour": "red"}, "'colour' was unexpected"),
        ({"answer": {"fault": "nope"}}, "'nope' is not one of"),
        ({"answer": {"code": 403, "tone": "stern"}}, "'tone' was unexpected"),
        ({"answer": {}}, "should be non-empty"),
        ({"answer": {"delay": "900-200"}}, "delay=900-200: the range's lowest comes first"),
        ({"answer": {"delay": "99999"}}, "delay=99999: at most 60000 ms"),
        ({"answer": {"code": 403}, "times": 0}, "less than the minimum of 1"),
        ({"answer": {"code": 403}, "times": 10**7}, "greater than the maximum of 1000000"),
        ({"answer": {"code": 403}, "times": 10**20}, "is not of type 'integer'"),
        ({"answer": {"code": 403}, "probability": 2}, "greater than the maximum of 1"),
        ({"provider": "dropbox", "answer": {"code": 403}}, "'dropbox' is not one of"),
    ],
)
def test_a_bad_rule_is_a_400_problem(client: TestClient, rule: Any, detail: str) -> None:
    response = client.post("/__admin/rules", json=rule)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]
    assert client.get("/__admin/rules").json() == {"rules": []}


# --- the clock ---


def test_the_clock_advances_sets_and_comes_back(client: TestClient, clock: FrozenClock) -> None:
    real = clock.moment
    shown = client.get("/__admin/clock").json()
    assert shown["isReal"] is True and shown["offsetSeconds"] == 0
    later = _clock(client, advance="P1DT1H")
    assert later["offsetSeconds"] == 25 * 3600 and later["isReal"] is False
    assert datetime.fromisoformat(later["now"]) == real + timedelta(hours=25)
    assert _clock(client, advance="-PT30M")["offsetSeconds"] == 24.5 * 3600
    moment = _clock(client, set="2027-07-01T00:00:00Z")
    assert moment["now"] == "2027-07-01T00:00:00.000Z"
    assert client.get("/__admin/clock").json()["now"] == "2027-07-01T00:00:00.000Z"
    back = _clock(client, real=True)
    assert back["isReal"] is True and back["now"] == back["real"]


@pytest.mark.parametrize(
    "change",
    [
        {"advance": "P"},
        {"advance": "25 hours"},
        {"advance": "PT"},
        {"set": "yesterday"},
        {"real": False},
        {"advance": "PT1H", "set": "2027-07-01T00:00:00Z"},
        {},
        {"advance": "P100000D"},
        {"advance": "P99999999999D"},  # past what a timedelta holds
        {"advance": "PT99999999999999999999S"},
    ],
)
def test_a_bad_clock_change_is_a_400_problem(client: TestClient, change: Any) -> None:
    response = client.post("/__admin/clock", json=change)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/__admin/clock").json()["isReal"] is True


def _publish_access_456(client: TestClient, auth: dict[str, str], **settings: Any) -> None:
    public = client.put("/defdrive/api/files/42/access", headers=auth, json={"public": True})
    assert public.status_code == 200
    access = client.put("/defdrive/api/access/456", headers=auth, json={"public": True, **settings})
    assert access.status_code == 200, access.text


def _use_link(client: TestClient) -> Any:
    return client.get(f"/defdrive/link/{DEFDRIVE_LINK}", headers={"X-Forwarded-For": "10.0.0.50"})


def test_the_clock_expires_a_defdrive_link(
    client: TestClient, credential: Credential, clock: FrozenClock
) -> None:
    expires = (clock.moment + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _publish_access_456(client, _headers("defdrive", credential), expires=expires)
    assert _use_link(client).status_code == 200
    _clock(client, advance="PT2H")
    refused = _use_link(client)
    assert (refused.status_code, refused.json()) == (403, {"error": "Access link has expired"})


def test_the_clock_ends_a_defdrive_links_ttl(client: TestClient, credential: Credential) -> None:
    _publish_access_456(client, _headers("defdrive", credential), ttl=60, enableTTL=True)
    assert _use_link(client).status_code == 200
    _clock(client, advance="PT1M")
    refused = _use_link(client)
    assert refused.json() == {"error": "Access link has reached its TTL limit"}


def test_the_clock_expires_a_defdrive_token(client: TestClient, credential: Credential) -> None:
    auth = _headers("defdrive", credential)
    assert client.get("/defdrive/api/files", headers=auth).status_code == 200
    _clock(client, advance="P3DT1H")  # tokens live 72 hours
    assert client.get("/defdrive/api/files", headers=auth).status_code == 401


def test_the_clock_opens_and_closes_a_filerobot_share(client: TestClient) -> None:
    """`other`'s sharebox runs 2024-09-01T08:00:00Z to 2024-12-31T23:59:59Z."""
    page = f"/filerobot/other/v4/share/{FILEROBOT_OTHER_PUID}?password=press-2024"
    _clock(client, set="2024-09-01T07:00:00Z")
    early = client.get(page)
    assert (early.status_code, early.json()["msg"]) == (403, "This share is not active yet")
    _clock(client, advance="PT1H")
    assert client.get(page).status_code == 200
    _clock(client, advance="P122D")
    late = client.get(page)
    assert (late.status_code, late.json()["msg"]) == (410, "This share has expired")


def test_oracle_timestamps_follow_the_clock(
    client: TestClient, credential: Credential, clock: FrozenClock
) -> None:
    """Oracle's `expirationTime` is stored and answered; no request of the mock refuses on it."""
    auth = _headers("oracle", credential)
    _clock(client, advance="P400D")
    edited = client.put(ORACLE_LINK, headers=auth, json={"role": "contributor"}).json()
    later = clock.moment + timedelta(days=400)
    assert edited["lastModifiedTime"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_koodrive_valid_days_count_from_the_clock(
    client: TestClient, credential: Credential, clock: FrozenClock
) -> None:
    """KooDrive's expiry is `expireTime` = now + validDays; an expired share is still served
    (its status stays 0, docs/providers/koodrive.md), so the clock moves only the stamps."""
    auth = _headers("koodrive", credential)
    _clock(client, advance="P10D")
    share = client.put(KOODRIVE_SHARE, headers=auth, json={"validDays": 7}).json()["shareLink"]
    updated = datetime.fromisoformat(share["updateTime"])
    assert updated - clock.moment >= timedelta(days=10)
    assert datetime.fromisoformat(share["expireTime"]) == updated + timedelta(days=7)


def test_defdrive_stamps_follow_the_clock(
    client: TestClient, credential: Credential, clock: FrozenClock
) -> None:
    """A write is stamped at the mock's time (DefDrive as deployed answers UpdatedAt)."""
    _clock(client, advance="PT48H")  # within the token's 72 hours
    auth = _headers("defdrive", credential)
    client.put("/defdrive/api/access/456", headers=auth, json={"public": True})
    access = client.get("/defdrive-deployed/api/accesses/456", headers=auth).json()["access"]
    stamped = datetime.fromisoformat(access["UpdatedAt"])
    assert abs(stamped - (clock.moment + timedelta(hours=48))) < timedelta(seconds=1)


# --- reset, where the admin API lives, CORS ---


def test_reset_clears_rules_and_clock_and_restores_state(
    client: TestClient, credential: Credential
) -> None:
    auth = _headers("defdrive", credential)
    client.put("/defdrive/api/access/456", headers=auth, json={"name": "changed", "public": True})
    _rule(client, provider="oracle", answer={"code": 401})
    _clock(client, advance="PT5H")
    kept = client.post("/__admin/reset?keep=controls").json()
    assert kept == {"providers": ["defdrive", "filerobot", "oracle", "koodrive"], "controls": False}
    assert len(client.get("/__admin/rules").json()["rules"]) == 1
    assert client.post("/__admin/reset").json()["controls"] is True
    assert client.get("/__admin/rules").json() == {"rules": []}
    assert client.get("/__admin/clock").json()["isReal"] is True
    access = client.get("/defdrive/api/accesses/456", headers=auth).json()["access"]
    assert access["name"] == "Team Access"


@pytest.mark.parametrize(
    ("method", "path", "native"),
    [
        ("GET", "/defdrive/__admin/rules", {"error": "404 page not found"}),
        ("GET", "/defdrive-deployed/__admin/clock", {"error": "404 page not found"}),
        ("POST", "/filerobot/__admin/reset", {"status": "error", "msg": "Route not found"}),
        (
            "GET",
            "/oracle/__admin/clock",
            {
                "errorCode": "-1",
                "errorKey": "!csNotFound",
                "errorMessage": "The requested resource is not found.",
            },
        ),
        (
            "GET",
            "/koodrive/__admin/rules",
            {
                "code": "APIGW.0101",
                "msg": "The API does not exist or has not been published in the environment.",
            },
        ),
    ],
)
def test_the_admin_api_is_not_below_a_provider(
    client: TestClient, method: str, path: str, native: dict[str, str]
) -> None:
    response = client.request(method, path)
    assert (response.status_code, response.json()) == (404, native)


def test_the_admin_api_serves_swagger_ui(client: TestClient) -> None:
    ui = client.get("/__admin/ui/")
    assert ui.status_code == 200
    assert "Swagger UI" in ui.text
    spec = client.get("/__admin/openapi.json").json()
    assert spec["info"]["title"] == "sharemock admin API"


def test_a_browser_on_another_origin_may_send_our_headers_and_read_ours(
    client: TestClient,
) -> None:
    origin = "http://localhost:5173"
    preflight = client.options(
        "/defdrive/api/files",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "prefer, x-sharemock-session",
        },
    )
    assert preflight.status_code == 200
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "prefer" in allowed and "x-sharemock-session" in allowed
    answer = client.get("/defdrive/api/files", headers={"Origin": origin, "Prefer": "code=401"})
    assert answer.headers["access-control-allow-origin"] == origin
    exposed = [
        h.strip().lower() for h in answer.headers["access-control-expose-headers"].split(",")
    ]
    assert "preference-applied" in exposed and "x-sharemock-rule" in exposed


def test_a_one_process_board_reads_nothing_again_after_its_own_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On `:memory:` (one process) a request costs no read of the board, changed or not."""
    database = open_database(Settings(db_path=":memory:"), PROVIDERS)
    try:
        board = Board(database, lambda offset: None)
        board.set_offset(timedelta(hours=1))
        reads: list[None] = []
        monkeypatch.setattr(board, "_reload", lambda: reads.append(None))
        board.refresh()
        assert reads == []
        assert board.offset == timedelta(hours=1)
    finally:
        database.close()


def test_the_admin_root_says_what_is_in_force(clock: Any) -> None:
    app = create_app(
        Settings(db_path=":memory:", latency="50-300", chaos="rate=0.1,faults=reset", seed=3),
        clock=clock,
    )
    with TestClient(app) as client:
        client.post("/__admin/rules", json={"provider": "koodrive", "answer": {"code": 401}})
        answer = client.get("/__admin/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["latency"] == "50-300"
    assert body["chaos"] == {"rate": 0.1, "faults": ["reset"], "seed": 3}
    assert (body["rules"], body["scenarios"], body["clock"]["isReal"]) == (1, 7, True)

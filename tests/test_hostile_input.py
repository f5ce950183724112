"""Hostile and malformed input: a native 4xx in the provider's shape, never a 5xx, and the
stored state unchanged (docs/decisions.md, "Hostile input").

Each case is sent, authenticated, to every provider's seed update (the deployed dialect's too)
and to DefDrive's other seed (Toggle Public Access); `GET /__admin/state` before and after
proves nothing was stored. What needs a real server (a `Content-Length` refused before the
body is read, a chunked body cut off, a 431) is sent over a raw socket to `sharemock serve`.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import connexion
import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.config import DEFAULT_MAX_BODY, Settings, parse_size
from sharemock.credentials import dev_credential
from sharemock.limits import MAX_HEADER, MAX_HEADERS
from sharemock.validation import MAX_DEPTH
from tests import serving

ORACLE_LINK = "LFCE8A35C88A6A96FD39B621T0000000000100000001"
FILEROBOT_BOX = "028f53bb-0148-409f-88ed-483dd8c33e6e"


@dataclass(frozen=True)
class Target:
    """One operation with a JSON body: where it is, who may call it, a body it accepts."""

    name: str
    provider: str
    path: str
    long_id_path: str  # the same operation, its ID 10,000 digits long
    body: dict[str, Any]
    field: str  # a string member of `body`
    auth: Callable[[Settings], dict[str, str]]
    # What the provider answers a body refusal with (status, body).
    refusal: dict[str, Any]
    # An integer member of the body, else a member the schema refuses (`x`).
    number: str = "x"


def _bearer(provider: str, user: str) -> Callable[[Settings], dict[str, str]]:
    return lambda settings: {"Authorization": f"Bearer {dev_credential(provider, user, settings)}"}


LONG = "9" * 10_000
DEFDRIVE_REFUSAL = {"error": "Invalid request body"}
TARGETS = (
    Target(
        "defdrive-update",
        "defdrive",
        "/defdrive/api/access/456",
        f"/defdrive/api/access/{LONG}",
        {"name": "Updated Team Access", "ips": ["10.0.0.50"], "public": False, "ttl": 7200},
        "name",
        _bearer("defdrive", "johndoe"),
        DEFDRIVE_REFUSAL,
        "ttl",
    ),
    Target(
        "defdrive-toggle",
        "defdrive",
        "/defdrive/api/files/42/access",
        f"/defdrive/api/files/{LONG}/access",
        {"public": True},
        "",
        _bearer("defdrive", "johndoe"),
        DEFDRIVE_REFUSAL,
    ),
    Target(
        "defdrive-deployed-update",
        "defdrive-deployed",
        "/defdrive-deployed/api/accesses/456/access",
        f"/defdrive-deployed/api/accesses/{LONG}/access",
        {"name": "Updated Team Access", "public": False},
        "name",
        _bearer("defdrive-deployed", "johndoe"),
        DEFDRIVE_REFUSAL,
        "ttl",
    ),
    Target(
        "filerobot-update",
        "filerobot",
        f"/filerobot/demo/v5/share/{FILEROBOT_BOX}",
        f"/filerobot/demo/v5/share/{LONG}",
        {
            "uuid": FILEROBOT_BOX,
            "title": "My share link",
            "items": [
                {"identifiers": ["59aac4eb-ccf1-56b3-a4d6-634e77750000"], "type": "file_uuid"}
            ],
        },
        "title",
        lambda _settings: {"X-Filerobot-Key": "demo-key"},
        {"status": "error", "msg": "Invalid request body"},
    ),
    Target(
        "oracle-update",
        "oracle",
        f"/oracle/documents/api/1.1/publiclinks/{ORACLE_LINK}",
        f"/oracle/documents/api/1.1/publiclinks/{LONG}",
        {"assignedUsers": "@everybody", "password": "password2", "role": "viewer"},
        "password",
        _bearer("oracle", "useraa"),
        {
            "errorCode": "-1",
            "errorKey": "!csInvalidRequestParameters",
            "errorMessage": "Request parameters are not formatted correctly.",
        },
    ),
    Target(
        "koodrive-update",
        "koodrive",
        "/koodrive/koodrive/ose/v1/share/1689743054514187776",
        f"/koodrive/koodrive/ose/v1/share/{LONG}",
        {"extractCode": "MDg2K0vU", "comment": "123", "validDays": 9},
        "comment",
        lambda _settings: {"Authorization": "Bearer demo-access-token"},
        {"code": "13000102", "msg": "Verify parameters failed."},
        "validDays",
    ),
)
BY_NAME = {target.name: target for target in TARGETS}
# What each provider answers past the limits: 413 (body) and 431 (headers).
TOO_LARGE = {
    "defdrive": {"error": "Request body too large"},
    "defdrive-deployed": {"error": "Request body too large"},
    "filerobot": {"status": "error", "msg": "Request body too large"},
    "oracle": {
        "errorCode": "-1",
        "errorKey": "!csRequestTooLarge",
        "errorMessage": "The request entity is too large.",
    },
    "koodrive": {"code": "APIGW.0201", "msg": "Request entity too large."},
}
HEADERS_TOO_LARGE = {
    "defdrive": {"error": "Request header fields too large"},
    "defdrive-deployed": {"error": "Request header fields too large"},
    "filerobot": {"status": "error", "msg": "Request header fields too large"},
    "oracle": {
        "errorCode": "-1",
        "errorKey": "!csHeadersTooLarge",
        "errorMessage": "The request header fields are too large.",
    },
    "koodrive": {"code": "APIGW.0201", "msg": "Request header fields too large."},
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Settings]]:
    """One app for the module: every case here must leave its state as it found it."""
    settings = Settings(db_path=str(tmp_path_factory.mktemp("hostile") / "state.db"))
    app: connexion.FlaskApp = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, settings
    app.runtime.database.close()


def _state(client: TestClient) -> Any:
    answer = client.get("/__admin/state")
    assert answer.status_code == 200
    return answer.json()


def _json_body(target: Target, text: str, member: str = "x") -> bytes:
    """`target`'s body with `text` (JSON) as `member` (the last of a repeated key wins)."""
    return (json.dumps(target.body)[:-1] + f', "{member}": {text}}}').encode()


def _with_field(target: Target, value: str) -> dict[str, Any]:
    return {**target.body, target.field: value}


# (case, body bytes or a function of the target, extra headers)
MALFORMED: dict[str, Callable[[Target], tuple[bytes, dict[str, str]]]] = {
    "arrays 10,000 deep": lambda t: (b"[" * 10_000 + b"]" * 10_000, {}),
    "objects 10,000 deep": lambda t: (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, {}),
    "a member 10,000 deep": lambda t: (_json_body(t, "[" * 10_000 + "]" * 10_000), {}),
    f"{MAX_DEPTH + 1} deep": lambda t: (
        _json_body(t, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)),
        {},
    ),
    "invalid UTF-8": lambda t: (b'{"name": "\xff\xfe"}', {}),
    "an integer of 5,000 digits": lambda t: (_json_body(t, "1" + "0" * 5_000, t.number), {}),
    "2**63": lambda t: (_json_body(t, str(1 << 63), t.number), {}),
    "-2**63 - 1": lambda t: (_json_body(t, str(-(1 << 63) - 1), t.number), {}),
    "1e999": lambda t: (_json_body(t, "1e999", t.number), {}),
    "-1e999": lambda t: (_json_body(t, "-1e999", t.number), {}),
    "an array": lambda t: (b"[1, 2]", {}),
    "a number": lambda t: (b"42", {}),
    "a string": lambda t: (b'"text"', {}),
    "null": lambda t: (b"null", {}),
    "not JSON": lambda t: (b"{'name': 1}", {}),
    "a wrong Content-Type": lambda t: (json.dumps(t.body).encode(), {"Content-Type": "image/png"}),
    "a lone surrogate": lambda t: (_json_body(t, '"\\ud800"'), {}),
    "a NUL in a key": lambda t: (_json_body(t, '{"a\\u0000b": 1}'), {}),
}


# Numbers no integer field can hold: refused where the contract wants a number (`number`);
# a member no operation reads is ignored, as Go's decoder skips it (below).
OUT_OF_RANGE = {"an integer of 5,000 digits", "2**63", "-2**63 - 1", "1e999", "-1e999"}


@pytest.mark.parametrize(
    ("name", "case"),
    [
        (name, case)
        for case in MALFORMED
        for name, target in BY_NAME.items()
        if case not in OUT_OF_RANGE or target.number != "x"
    ],
)
def test_malformed_body_is_a_native_400_and_changes_nothing(
    hostile: tuple[TestClient, Settings], name: str, case: str
) -> None:
    client, settings = hostile
    target = BY_NAME[name]
    body, extra = MALFORMED[case](target)
    headers = {**target.auth(settings), "Content-Type": "application/json", **extra}
    before = _state(client)
    answer = client.put(target.path, headers=headers, content=body)
    assert (answer.status_code, answer.json()) == (400, target.refusal), answer.headers
    assert answer.headers["x-sharemock-detail"]
    assert _state(client) == before


def test_an_integer_past_64_bits_in_a_member_nobody_reads_is_ignored(
    hostile: tuple[TestClient, Settings],
) -> None:
    client, settings = hostile
    target = BY_NAME["defdrive-deployed-update"]  # Go's struct: unknown members are skipped
    headers = {**target.auth(settings), "Content-Type": "application/json"}
    for text in (str(1 << 63), "150575945016102748160"):
        answer = client.put(target.path, headers=headers, content=_json_body(target, text))
        assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("name", [n for n in BY_NAME if not n.startswith("oracle")])
def test_a_body_without_content_type_is_refused(
    hostile: tuple[TestClient, Settings], name: str
) -> None:
    client, settings = hostile
    target = BY_NAME[name]
    before = _state(client)
    answer = client.put(
        target.path, headers=target.auth(settings), content=json.dumps(target.body).encode()
    )
    assert (answer.status_code, answer.json()) == (400, target.refusal)
    assert answer.headers["x-sharemock-detail"] == "request body has no Content-Type"
    assert _state(client) == before


@pytest.mark.parametrize("content_type", [None, "text/plain", "text/plain; charset=utf-8"])
def test_oracle_reads_json_sent_as_text_or_unlabelled(
    hostile: tuple[TestClient, Settings], content_type: str | None
) -> None:
    """Oracle's toolkit sends JSON as `text/plain` (docs/providers/oracle.md)."""
    client, settings = hostile
    target = BY_NAME["oracle-update"]
    headers = target.auth(settings)
    if content_type:
        headers["Content-Type"] = content_type
    answer = client.put(target.path, headers=headers, content=json.dumps(target.body).encode())
    assert answer.status_code == 200
    assert answer.json()["role"] == "viewer"
    # ...and refuses such a body as JSON when it is malformed, in its own shape.
    deep = b"[" * 10_000 + b"]" * 10_000
    refused = client.put(target.path, headers=headers, content=deep)
    assert (refused.status_code, refused.json()) == (400, target.refusal)


@pytest.mark.parametrize("name", BY_NAME)
def test_a_path_id_of_10000_digits_is_a_native_4xx(
    hostile: tuple[TestClient, Settings], name: str
) -> None:
    target = BY_NAME[name]
    answer = _refused_unchanged(hostile, target, target.long_id_path)
    expected = {
        "defdrive-update": {"error": "Invalid access ID"},
        "defdrive-toggle": {"error": "Invalid file ID"},
        "defdrive-deployed-update": {"error": "Invalid access ID"},
        "filerobot-update": {"status": "error", "msg": "Invalid sharebox uuid"},
    }.get(name, target.refusal)
    assert (answer.status_code, answer.json()) == (400, expected)


def _refused_unchanged(hostile: tuple[TestClient, Settings], target: Target, path: str) -> Any:
    """The target's update sent to `path`: a native 4xx, the state as it was."""
    client, settings = hostile
    headers = {**target.auth(settings), "Content-Type": "application/json"}
    before = _state(client)
    answer = client.put(path, headers=headers, json=target.body)
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    assert _state(client) == before
    return answer


@pytest.mark.parametrize("name", BY_NAME)
def test_a_nul_in_the_path_or_the_query_is_a_native_4xx(
    hostile: tuple[TestClient, Settings], name: str
) -> None:
    # A path or query value is only ever looked up, never stored: an ID with a NUL finds
    # nothing or is refused by its parameter's schema, and an unknown `?x=%00` is ignored
    # (or refused where validation is strict, KooDrive's).
    client, settings = hostile
    target = BY_NAME[name]
    _refused_unchanged(hostile, target, target.path + "%00")
    # The same update with a NUL in a query parameter no operation reads: answered as without.
    headers = {**target.auth(settings), "Content-Type": "application/json"}
    nul_query = client.put(target.path + "?x=%00", headers=headers, json=target.body)
    assert nul_query.status_code in (200, 400), nul_query.text


@pytest.mark.parametrize("name", [n for n in BY_NAME if BY_NAME[n].field])
def test_a_nul_in_a_string_is_refused_naming_the_field(
    hostile: tuple[TestClient, Settings], name: str
) -> None:
    client, settings = hostile
    target = BY_NAME[name]
    before = _state(client)
    answer = client.put(
        target.path, headers=target.auth(settings), json=_with_field(target, "a\u0000b")
    )
    assert (answer.status_code, answer.json()) == (400, target.refusal)
    assert answer.headers["x-sharemock-detail"].startswith(f"/{target.field}: ")
    assert _state(client) == before


@pytest.mark.parametrize("name", [n for n in BY_NAME if BY_NAME[n].field])
def test_other_control_characters_are_stored_except_by_oracle(
    hostile: tuple[TestClient, Settings], name: str
) -> None:
    """A tab, a BEL and an ESC are stored as sent (PostgreSQL `text` holds them); Oracle's
    contract refuses every control character in its fields (a `pattern`)."""
    client, settings = hostile
    target = BY_NAME[name]
    value = "a\tb\u0007c\u001bd"
    before = _state(client)
    answer = client.put(target.path, headers=target.auth(settings), json=_with_field(target, value))
    if target.provider == "oracle":
        assert (answer.status_code, answer.json()) == (400, target.refusal)
        assert _state(client) == before
        return
    assert answer.status_code == 200, answer.text
    assert json.dumps(value)[1:-1] in json.dumps(_state(client))


@pytest.mark.parametrize("name", [n for n in BY_NAME if BY_NAME[n].field])
def test_duplicate_keys_the_last_wins(hostile: tuple[TestClient, Settings], name: str) -> None:
    client, settings = hostile
    target = BY_NAME[name]
    first, last = "first-value", "last-value"
    if target.provider == "oracle":
        first, last = "password1", "password9"
    text = json.dumps(target.body)[:-1]
    body = f'{text}, "{target.field}": "{first}", "{target.field}": "{last}"}}'
    headers = {**target.auth(settings), "Content-Type": "application/json"}
    answer = client.put(target.path, headers=headers, content=body.encode())
    assert answer.status_code == 200, answer.text
    stored = json.dumps(_state(client))
    assert last in stored and first not in stored


@pytest.mark.parametrize("name", BY_NAME)
def test_a_body_over_the_limit_is_a_native_413(
    hostile: tuple[TestClient, Settings], name: str
) -> None:
    client, settings = hostile
    target = BY_NAME[name]
    field = target.field or "x"
    body = {**target.body, field: "a" * (5 << 20)}
    before = _state(client)
    answer = client.put(target.path, headers=target.auth(settings), json=body)
    assert (answer.status_code, answer.json()) == (413, TOO_LARGE[target.provider])
    assert answer.headers["connection"] == "close"
    assert _state(client) == before


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("oracle-update", "application/xml"), ("defdrive-deployed-update", "application/json")],
)
def test_the_layers_that_rewrite_a_body_read_it_under_the_servers_limit(
    tmp_path: Path, name: str, content_type: str
) -> None:
    # Oracle's XML bodies and the deployed DefDrive's key folding read the body themselves:
    # past 1 MiB, within a larger `--max-body`, it is read, rewritten and validated as any.
    settings = Settings(db_path=str(tmp_path / "state.db"), max_body=parse_size("3M"))
    target = BY_NAME[name]
    big = "a" * (3 << 19)  # 1.5 MiB
    if content_type == "application/xml":
        body = f"<publicLink><password>{big}</password></publicLink>".encode()
    else:
        body = json.dumps({**target.body, "Name": big}).encode()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        headers = {**target.auth(settings), "Content-Type": content_type}
        answer = client.put(target.path, headers=headers, content=body)
    assert answer.status_code == 400, answer.text  # the field's schema refuses it
    assert "larger than" not in answer.headers["x-sharemock-detail"]


@pytest.mark.parametrize("name", ["defdrive-update", "oracle-update", "koodrive-update"])
def test_a_chunked_body_over_the_limit_is_a_native_413(
    hostile: tuple[TestClient, Settings], name: str
) -> None:
    client, settings = hostile
    target = BY_NAME[name]
    sent = []

    def chunks() -> Iterator[bytes]:
        yield b'{"' + target.field.encode() + b'": "'
        for _ in range(40):  # 40 x 64 KiB: past 1 MiB at the 17th
            sent.append(1)
            yield b"a" * (64 << 10)
        yield b'"}'

    headers = {**target.auth(settings), "Content-Type": "application/json"}
    before = _state(client)
    answer = client.put(target.path, headers=headers, content=chunks())
    assert (answer.status_code, answer.json()) == (413, TOO_LARGE[target.provider])
    assert _state(client) == before


def test_defdrive_name_has_a_length_limit(hostile: tuple[TestClient, Settings]) -> None:
    client, settings = hostile
    target = BY_NAME["defdrive-update"]
    before = _state(client)
    answer = client.put(
        target.path, headers=target.auth(settings), json=_with_field(target, "n" * 1025)
    )
    assert (answer.status_code, answer.json()) == (400, DEFDRIVE_REFUSAL)
    assert _state(client) == before
    accepted = client.put(
        target.path, headers=target.auth(settings), json=_with_field(target, "n" * 1024)
    )
    assert accepted.status_code == 200


@pytest.mark.parametrize("name", BY_NAME)
def test_headers_over_the_limit_are_a_native_431(
    hostile: tuple[TestClient, Settings], name: str
) -> None:
    client, settings = hostile
    target = BY_NAME[name]
    headers = {**target.auth(settings), "Content-Type": "application/json"}
    before = _state(client)
    one = client.put(target.path, headers={**headers, "X-Big": "a" * (64 << 10)}, json=target.body)
    assert (one.status_code, one.json()) == (431, HEADERS_TOO_LARGE[target.provider])
    many = {f"X-Part-{i}": "a" * 4000 for i in range(MAX_HEADERS // 4000 + 1)}
    total = client.put(target.path, headers={**headers, **many}, json=target.body)
    assert (total.status_code, total.json()) == (431, HEADERS_TOO_LARGE[target.provider])
    assert _state(client) == before
    # Just under the limit for one header line: answered as usual.
    fits = "a" * (MAX_HEADER - len("x-fits") - 1)
    assert client.put(target.path, headers={**headers, "X-Fits": fits}, json=target.body).is_success


def test_limits_outside_any_provider_are_problem_details(
    hostile: tuple[TestClient, Settings],
) -> None:
    client, _ = hostile
    answer = client.get("/__admin/state", headers={"X-Big": "a" * (64 << 10)})
    assert answer.status_code == 431
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 431


def test_sizes_parse() -> None:
    assert parse_size("1M") == parse_size("1MiB") == parse_size("1048576") == DEFAULT_MAX_BODY
    assert parse_size("64k") == 65536
    for bad in ("", "0", "1T", "-1", "1.5M"):
        with pytest.raises(ValueError):
            parse_size(bad)


# A real server, over raw sockets: what the in-process client cannot show.


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serving.serve(tmp_path_factory.mktemp("served"), "--max-body", "64k")


def _exchange(base: str, head: bytes, body_parts: Iterable[bytes] = ()) -> tuple[int, bytes]:
    """Send `head`, then `body_parts` while the server reads them; (status, whole answer)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head)
        try:
            for part in body_parts:
                connection.sendall(part)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: what a limit does
        answer = b""
        while True:
            try:
                chunk = connection.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1]) if answer else 0
    return status, answer


def _head(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"PUT {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _served_state(base: str) -> bytes:
    return bytes(serving.request(base + "/__admin/state")[2])


def test_served_content_length_over_the_limit_is_refused_before_the_body(served: str) -> None:
    settings = Settings()
    target = BY_NAME["defdrive-update"]
    before = _served_state(served)
    headers = {
        **target.auth(settings),
        "Content-Type": "application/json",
        "Content-Length": str(5 << 20),
    }
    started = time.monotonic()
    status, answer = _exchange(served, _head(target.path, headers))  # no byte of the body sent
    assert status == 413
    assert answer.rstrip().endswith(
        json.dumps(TOO_LARGE["defdrive"], separators=(",", ":")).encode()
    )
    assert b"connection: close" in answer.lower()
    assert time.monotonic() - started < 5
    assert _served_state(served) == before


def test_served_chunked_body_is_cut_off_at_the_limit(served: str) -> None:
    settings = Settings()
    target = BY_NAME["koodrive-update"]
    before = _served_state(served)
    headers = {
        **target.auth(settings),
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
    }
    sent = 0

    def parts() -> Iterator[bytes]:
        nonlocal sent
        piece = b"a" * (16 << 10)
        yield b"%x\r\n%s\r\n" % (len(b'{"comment": "'), b'{"comment": "')
        for _ in range(64):  # 1 MiB offered; the limit is 64 KiB
            sent += len(piece)
            yield b"%x\r\n%s\r\n" % (len(piece), piece)
        yield b"0\r\n\r\n"

    status, answer = _exchange(served, _head(target.path, headers), parts())
    assert status == 413
    assert b"APIGW.0201" in answer
    assert _served_state(served) == before


def test_served_header_over_the_limit_is_a_431(served: str) -> None:
    target = BY_NAME["filerobot-update"]
    body = json.dumps(target.body).encode()
    headers = {
        **target.auth(Settings()),
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "X-Big": "a" * (64 << 10),
    }
    status, answer = _exchange(served, _head(target.path, headers) + body)
    assert status == 431
    assert b"Request header fields too large" in answer


def test_served_body_under_the_limit_is_answered(served: str) -> None:
    target = BY_NAME["defdrive-update"]
    body = json.dumps({**target.body, "name": "n" * 1000}).encode()
    headers = {
        **target.auth(Settings()),
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "Connection": "close",
    }
    status, _ = _exchange(served, _head(target.path, headers) + body)
    assert status == 200


def test_serve_refuses_a_malformed_max_body(tmp_path: Path) -> None:
    from sharemock.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--max-body", "lots"])
    assert build_parser().parse_args(["serve", "--max-body", "2M"]).max_body == 2 << 20


def test_a_chunked_body_within_the_limit_is_read_and_checked(
    hostile: tuple[TestClient, Settings],
) -> None:
    """Connexion takes a request without a Content-Length for one without a body: the limits
    read a chunked body whole, so it is validated and handled as any other."""
    client, settings = hostile
    target = BY_NAME["koodrive-update"]
    headers = {**target.auth(settings), "Content-Type": "application/json"}

    def chunked(body: bytes) -> Iterator[bytes]:
        yield body[:10]
        yield body[10:]

    good = json.dumps({**target.body, "comment": "sent in chunks"}).encode()
    answer = client.put(target.path, headers=headers, content=chunked(good))
    assert answer.status_code == 200, answer.text
    assert answer.json()["shareLink"]["comment"] == "sent in chunks"
    before = _state(client)
    bad = json.dumps({**target.body, "validDays": "nine"}).encode()
    refused = client.put(target.path, headers=headers, content=chunked(bad))
    assert (refused.status_code, refused.json()) == (400, target.refusal)
    assert _state(client) == before

"""Black-box: seed 002's example request, sent verbatim, answers with its example response.

Seed 002 (`../shared/seeds/002_53006cbfdc3ac612.txt`): Update a Sharebox,
`PUT {{api-server}}/{{token}}/v5/share/:sharebox_uuid`.
"""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from tests.filerobot.conftest import SEED_PATH

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

# The seed's example request body as it prints it: a Ruby hash (`=>`, `nil`).
SEED_BODY_RUBY = (
    '{"uuid"=>"028f53bb-0148-409f-88ed-483dd8c33e6e", "title"=>"My share link", '
    '"description"=>"Short description 123", "items"=>[{"identifiers"=>'
    '["59aac4eb-ccf1-56b3-a4d6-634e77750000", "f2ebf6f6-39f2-56e6-ba74-d9b956c50000"], '
    '"type"=>"file_uuid"}], "starts_at"=>nil, "expires_at"=>nil, '
    '"starts_tz"=>"Europe/London", "expires_tz"=>"Europe/London", '
    '"auth"=>[{"pass"=>nil, "user"=>""}], '
    '"share_uri"=>"https://share.filerobot.com/token/v5/s/sY6mkuRLxuhXh81YccsLSwE0fu/'
    'my-share-link-08-17-2024-06:29-pm", "puid"=>"sY6mkuRLxuhXh81YccsLSwE0fu", '
    '"show_starts_at"=>false, "show_expires_at"=>false}'
)
# Its JSON equivalent: the same keys, values and order; only the Ruby syntax is translated.
SEED_BODY = SEED_BODY_RUBY.replace('"=>nil', '":null').replace('"=>', '":')

# The seed's example response, verbatim.
SEED_RESPONSE = (
    '{"status":"success","msg":"Your share was updated successfully","share":{"uuid":'
    '"028f53bb-0148-409f-88ed-483dd8c33e6e","title":"My share link","description":'
    '"Short description 123","items":[{"identifiers":["59aac4eb-ccf1-56b3-a4d6-634e77750000",'
    '"f2ebf6f6-39f2-56e6-ba74-d9b956c50000"],"type":"file_uuid"}],"starts_at":null,'
    '"expires_at":null,"starts_tz":"Europe/London","expires_tz":"Europe/London","auth":'
    '[{"pass":null,"user":""}],"share_uri":"https://share.filerobot.com/token/v3/s/'
    'sY6mkuRLxuhXh81YccsLSwE0fu/my-share-link","puid":"sY6mkuRLxuhXh81YccsLSwE0fu"},'
    '"info":{"duration":0.13550734519958496,"api_version":5},"api_version":{"hash":'
    '"1ce24f12ff9f3205395f34065a5b87bbfa619e25","datetime":"2024-08-13T12:13:54+07:00",'
    '"module":"elastic_v2"}}'
)


def _shape(value: object) -> object:
    """The JSON types of `value`, recursively (numbers as one kind, as JSON has them)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    if isinstance(value, bool) or value is None:
        return type(value).__name__
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def test_seed_body_is_the_json_of_the_ruby_hash() -> None:
    body = json.loads(SEED_BODY)
    assert list(body) == [
        "uuid",
        "title",
        "description",
        "items",
        "starts_at",
        "expires_at",
        "starts_tz",
        "expires_tz",
        "auth",
        "share_uri",
        "puid",
        "show_starts_at",
        "show_expires_at",
    ]
    assert body["starts_at"] is None and body["auth"] == [{"pass": None, "user": ""}]
    assert "=>" not in SEED_BODY and "nil" not in SEED_BODY


def test_seed_002_update_a_sharebox(client: TestClient, demo: dict[str, str]) -> None:
    response = client.put(
        SEED_PATH, headers={**demo, "Content-Type": "application/json"}, content=SEED_BODY
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body, expected = response.json(), json.loads(SEED_RESPONSE)
    # Same fields, in the seed's order, with the seed's types ...
    assert _shape(body) == _shape(expected)
    assert list(body) == list(expected)
    assert list(body["share"]) == list(expected["share"])
    # ... and the seed's values: everything but the measured handling time is fixed.
    duration = body["info"].pop("duration")
    expected["info"].pop("duration")
    assert body == expected
    assert type(duration) is float and 0 < duration < 5


def test_seed_replay_is_idempotent_and_visible(client: TestClient, demo: dict[str, str]) -> None:
    headers = {**demo, "Content-Type": "application/json"}
    first = client.put(SEED_PATH, headers=headers, content=SEED_BODY).json()["share"]
    second = client.put(SEED_PATH, headers=headers, content=SEED_BODY).json()["share"]
    assert first == second
    assert client.get(SEED_PATH, headers=demo).json()["share"] == first

"""Admin API handlers (operationIds of openapi/admin.yaml, in snake_case)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sharemock import runtime
from sharemock.controls import Desk
from sharemock.controls.rules import Rule
from sharemock.controls.scenarios import apply
from sharemock.controls.vocabulary import ControlError
from sharemock.errors import ApiError
from sharemock.journal import Filter, Journal, timestamp
from sharemock.state import StateError, export_state, reset_provider
from sharemock.state import import_state as import_document

JSON = dict[str, Any]
# Operations that may also answer a problem document name their JSON media type.
_AS_JSON = {"Content-Type": "application/json"}
Answer = tuple[JSON, int, dict[str, str]]
_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)
# Far enough for any expiry a contract allows, near enough that datetime never overflows.
_MAX_OFFSET = timedelta(days=365 * 200)
_TOO_FAR = "the clock may move at most 200 years from the real time"


def _desk() -> Desk:
    desk: Desk = runtime.current().controls
    return desk


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def get_controls() -> Answer:
    desk = _desk()
    wide = desk.server_wide
    chaos = {"rate": wide.rate, "faults": list(wide.faults), "seed": wide.seed}
    controls = {
        "latency": wide.latency_text,
        "chaos": chaos if wide.rate > 0 else None,
        "rules": len(desk.board.rules),
        "clock": _clock_json(desk),
        "scenarios": len(desk.scenarios),
    }
    return controls, 200, _AS_JSON


def list_rules() -> Answer:
    return {"rules": [rule.to_json() for rule in _desk().board.rules]}, 200, _AS_JSON


def create_rule(body: JSON) -> Answer:
    try:
        rule = Rule.from_json(body)
    except ControlError as exc:
        raise ApiError(400, str(exc)) from None
    if not rule.answer:
        raise ApiError(400, "answer: say one of code, example, dynamic, delay, fault, state")
    desk = _desk()
    if rule.answer.state and rule.answer.state not in desk.scenarios:
        known = ", ".join(sorted(desk.scenarios))
        raise ApiError(400, f"answer.state: no scenario {rule.answer.state!r} (known: {known})")
    return desk.board.add_rule(rule).to_json(), 201, _AS_JSON


def clear_rules() -> tuple[None, int]:
    _desk().board.clear_rules()
    return None, 204


def get_rule(rule_id: str) -> Answer:
    rule = _desk().board.find(rule_id)
    if rule is None:
        raise ApiError(404, f"no rule {rule_id}")
    return rule.to_json(), 200, _AS_JSON


def delete_rule(rule_id: str) -> tuple[None, int]:
    if not _desk().board.remove_rule(rule_id):
        raise ApiError(404, f"no rule {rule_id}")
    return None, 204


def _clock_json(desk: Desk) -> JSON:
    current = runtime.current()
    real = current.clock()
    offset = desk.board.offset
    return {
        "now": _timestamp(real + offset),
        "real": _timestamp(real),
        "offsetSeconds": offset.total_seconds(),
        "isReal": offset == timedelta(0),
    }


def get_clock() -> Answer:
    return _clock_json(_desk()), 200, _AS_JSON


def _duration(text: str) -> timedelta:
    match = _DURATION.fullmatch(text)
    if match is None or text in ("P", "-P") or text.endswith("T"):
        raise ApiError(400, f"advance: {text!r} is not an ISO 8601 duration (say PT25H or P3D)")
    parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
    try:
        span = timedelta(**parts)
    except OverflowError:  # past what a timedelta holds, so past the 200 years too
        raise ApiError(400, _TOO_FAR) from None
    return -span if match["sign"] else span


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ApiError(400, f"set: {text!r} is not an RFC 3339 date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def set_clock(body: JSON) -> Answer:
    desk = _desk()
    real = runtime.current().clock()
    if "advance" in body:
        try:
            offset = desk.board.offset + _duration(body["advance"])
        except OverflowError:  # the step alone fits a timedelta, the sum does not
            raise ApiError(400, _TOO_FAR) from None
    elif "set" in body:
        offset = _instant(body["set"]) - real
    else:
        offset = timedelta(0)
    if abs(offset) > _MAX_OFFSET:
        raise ApiError(400, _TOO_FAR)
    desk.board.set_offset(offset)
    return _clock_json(desk), 200, _AS_JSON


def _scenario_json(name: str) -> JSON:
    scenario = _desk().scenarios[name]
    return {"name": name, "provider": scenario.provider, "description": scenario.description}


def list_scenarios() -> Answer:
    scenarios = [_scenario_json(name) for name in sorted(_desk().scenarios)]
    return {"scenarios": scenarios}, 200, _AS_JSON


def apply_scenario(name: str) -> Answer:
    desk = _desk()
    scenario = desk.scenarios.get(name)
    if scenario is None:
        known = ", ".join(sorted(desk.scenarios))
        raise ApiError(404, f"no scenario {name!r} (known: {known})")
    apply(runtime.current().database, desk.providers, scenario)
    return _scenario_json(name), 200, _AS_JSON


def reset_all(provider: str | None = None, keep: str | None = None) -> Answer:
    desk = _desk()
    owners = [p for p in desk.providers if p.dialect_of is None]
    chosen = [p for p in owners if provider in (None, p.name)]
    for owner in chosen:
        reset_provider(runtime.current().database, owner)
    controls = keep != "controls"
    if controls:
        desk.board.reset()
    return {"providers": [p.name for p in chosen], "controls": controls}, 200, _AS_JSON


# State and snapshots -------------------------------------------------------------------


def _refused(exc: StateError, status: int = 400) -> ApiError:
    """A refused import as a problem whose `reasons` list what `detail` says, one by one."""
    return ApiError(status, str(exc), fields={"reasons": list(exc.reasons)})


def get_state(provider: str | None = None) -> Answer:
    document = export_state(runtime.current().database, _desk().providers, only=provider)
    return document, 200, _AS_JSON


def import_state(body: JSON) -> Answer:
    try:
        import_document(runtime.current().database, _desk().providers, body)
    except StateError as exc:
        raise _refused(exc) from None
    return {"providers": list(body["providers"])}, 200, _AS_JSON


def list_snapshots() -> Answer:
    snapshots = [snapshot.to_json() for snapshot in _desk().snapshots.listed()]
    return {"snapshots": snapshots}, 200, _AS_JSON


def create_snapshot(body: JSON | None = None) -> Answer:
    name = (body or {}).get("name")
    created = _timestamp(runtime.current().clock())  # for people: the real time
    return _desk().snapshots.take(name, created).to_json(), 201, _AS_JSON


def restore_snapshot(snapshot_id: str) -> Answer:
    try:
        snapshot = _desk().snapshots.restore(snapshot_id)
    except StateError as exc:
        raise _refused(exc, 409) from None
    if snapshot is None:
        raise ApiError(404, f"no snapshot {snapshot_id}")
    return snapshot.to_json(), 200, _AS_JSON


def delete_snapshot(snapshot_id: str) -> tuple[None, int]:
    if not _desk().snapshots.remove(snapshot_id):
        raise ApiError(404, f"no snapshot {snapshot_id}")
    return None, 204


def _journal() -> Journal:
    journal: Journal | None = runtime.current().journal
    if journal is None:
        raise ApiError(404, "the journal is off (--journal-size 0)")
    return journal


def _instant_text(text: str | None) -> str | None:
    """A `since`/`until` bound in the journal's own timestamp format (which sorts as text)."""
    if text is None:
        return None
    try:
        return timestamp(_instant(text).timestamp())
    except (OverflowError, OSError, ValueError):  # a year the platform's clock cannot say
        raise ApiError(400, f"{text!r} is out of range") from None


def list_requests(
    provider: str | None = None,
    operation: str | None = None,
    status: int | None = None,
    session: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 100,
    follow: int | None = None,
) -> Answer:
    # `follow=1` never gets here: the live view is answered before routing (Journaling).
    wanted = Filter(
        provider, operation, status, session, _instant_text(since), _instant_text(until)
    )
    return {"requests": _journal().entries(wanted, limit)}, 200, _AS_JSON


def clear_requests() -> tuple[None, int]:
    _journal().clear()
    return None, 204


def get_request(request_id: int) -> Answer:
    entry = _journal().entry(request_id)
    if entry is None:
        raise ApiError(404, f"no request {request_id} in the journal")
    return entry, 200, _AS_JSON

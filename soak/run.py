"""`make soak`: the five-seed mix plus creates and deletes, over `sharemock serve --workers 2`
with the journal on and `--chaos`, from clients that check every answer.

Each client (an asyncio task with its own httpx connection pool) loops until the time is up:
six times in ten one of bench's `mix` requests (the five seed updates, each carrying a value
of its own, and their GETs); otherwise the life of an item of its own on one provider (a
DefDrive access, a Filerobot sharebox, an Oracle link, a KooDrive share): created, updated,
read, deleted. Writes to a seed item take turns (a lock per item), so the last acknowledged
write is well defined; the clients' own items have one writer each.

Expected answers: a 2xx showing what was written; a chaos fault, which is a broken connection
(reset, empty, garbage, a malformed chunked body) or a forced 5xx carrying
`Preference-Applied: fault=5xx` (a `fault=dribble` answer is a slow 2xx). Anything else is
unexpected: any other 5xx, a 4xx, a timeout, a 2xx that does not show the write.

At the end: the state export (`GET /__admin/state`) against every acknowledged write; each
worker's RSS over time (first window after warm-up against the last); the journal's row
count against `--journal-size` and its file's size; the state database's file size against
the size of the data it holds. Exit 1 when any criterion fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from fuzz import server
from soak.ledger import GONE, MARK, Ledger, Verdict, check

RESULTS = server.REPO / "soak" / "results"
DEFAULT_CHAOS = "rate=0.05,faults=reset,empty,malformed,garbage,dribble,5xx"
MIB = 2**20
# SQLite checkpoints its WAL at 1,000 pages (~4 MiB): one that keeps growing is starved.
WAL_LIMIT = 16 * MIB
# Seed items and fixtures the clients work on.
DEFDRIVE_FILE = 42
DEFDRIVE_SEED_ACCESS = 456
FILEROBOT_PROJECT = "demo"
FILEROBOT_ITEMS = [{"identifiers": ["f2ebf6f6-39f2-56e6-ba74-d9b956c50000"], "type": "file_uuid"}]
ORACLE_API = "/oracle/documents/api/1.1/publiclinks"
ORACLE_FILE = "DFF20D933802FC5C0B3695E5T0000000000100000001"
KOODRIVE_API = "/koodrive/koodrive/ose/v1/share"
KOODRIVE_SPACE = "IAAB5thdWzxEoAsiA1681759183084696448"
KOODRIVE_FILE = "FkT3xQp8cWmZ0aLrVb2nDy6sHe4uJi9oN"
OWN_ITEMS = 3  # each client keeps at most this many items of its own per provider
ORACLE_EPOCH = datetime(2031, 1, 1, tzinfo=UTC)
# The ledger's kind of each provider's own items.
KIND = {
    "defdrive": "defdrive_access",
    "filerobot": "filerobot_share",
    "oracle": "oracle_link",
    "koodrive": "koodrive_share",
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m soak.run", description=__doc__)
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(env.get("SOAK_SECONDS") or 600),
        help="how long the load runs ($SOAK_SECONDS, default 600)",
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=int(env.get("SOAK_CLIENTS") or 24),
        help="concurrent clients ($SOAK_CLIENTS, default 24)",
    )
    parser.add_argument(
        "--chaos",
        default=env.get("SOAK_CHAOS") or DEFAULT_CHAOS,
        help=f"`serve --chaos` ($SOAK_CHAOS, default {DEFAULT_CHAOS!r}); '' for none",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=int(env.get("SOAK_SEED") or 42),
        help="`serve --seed` and the clients' choices ($SOAK_SEED, default 42)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(env.get("SOAK_WORKERS") or 2),
        help="`serve --workers` ($SOAK_WORKERS, default 2)",
    )
    parser.add_argument(
        "--journal-size",
        type=int,
        default=int(env.get("SOAK_JOURNAL_SIZE") or 1000),
        help="`serve --journal-size` ($SOAK_JOURNAL_SIZE, default 1000, the mock's default)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--sample-every", type=float, default=1.0, help="seconds between samples")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the figures go")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.clients < 1 or args.workers < 1:
        parser.error("--seconds, --clients and --workers must be positive")
    return args


def chaos_rate(chaos: str) -> float:
    """The `rate=` of a `--chaos` text (0 when none)."""
    for piece in chaos.split(","):
        name, _, value = piece.partition("=")
        if name.strip() == "rate":
            return float(value)
    return 0.0


# -- what every answer is -------------------------------------------------------------------


@dataclass
class Tally:
    """Every answer the clients got, classified."""

    requests: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    by_operation: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)  # the first few, with what was wrong
    unexpected_count: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)

    def bad(self, kind: str, what: str) -> None:
        self.unexpected_count[kind] += 1
        if len(self.unexpected) < 20:
            self.unexpected.append(f"{kind}: {what}")


@dataclass
class Answer:
    """One answer: `ok` (a 2xx the mock meant), `chaos` (a fault it was told to make), or
    neither (counted as unexpected by the caller)."""

    status: int | None
    body: Any
    ok: bool
    chaos: bool
    text: str


class Client:
    """One simulated client: its connection pool, its choices, its own items."""

    def __init__(
        self, number: int, base: str, auth: dict[str, dict[str, str]], shared: Shared
    ) -> None:
        self.number = number
        self.auth = auth
        self.shared = shared
        self.rng = random.Random(shared.seed * 1000 + number)
        self.count = 0
        self.own: dict[str, list[str]] = {
            p: [] for p in ("defdrive", "filerobot", "oracle", "koodrive")
        }
        self.http = httpx.AsyncClient(
            base_url=base,
            timeout=shared.timeout,
            limits=httpx.Limits(max_connections=2, max_keepalive_connections=2),
        )

    def value(self) -> str:
        self.count += 1
        return f"{MARK}{self.number}-{self.count}"

    async def call(
        self, operation: str, method: str, path: str, provider: str, body: Any = None
    ) -> Answer:
        tally = self.shared.tally
        tally.requests += 1
        tally.by_operation[operation] += 1
        headers = dict(self.auth[provider])
        began = time.monotonic()
        try:
            response = await self.http.request(method, path, headers=headers, json=body)
        except httpx.TimeoutException as exc:
            tally.statuses["timeout"] += 1
            tally.bad("timeout", f"{method} {path}: {type(exc).__name__}")
            return Answer(None, None, False, False, "timeout")
        except httpx.TransportError as exc:
            # A reset, an empty reply, garbage or a broken chunked body: chaos's connection faults.
            tally.statuses[f"connection: {type(exc).__name__}"] += 1
            tally.outcomes["chaos: connection broken"] += 1
            return Answer(None, None, False, True, type(exc).__name__)
        tally.latencies_ms.append((time.monotonic() - began) * 1000)
        status = response.status_code
        tally.statuses[str(status)] += 1
        applied = response.headers.get("preference-applied", "")
        if status >= 500:
            if "fault=5xx" in applied:
                tally.outcomes["chaos: forced 5xx"] += 1
                return Answer(status, None, False, True, response.text[:200])
            tally.bad("unexpected 5xx", f"{method} {path} -> {status} {response.text[:300]}")
            return Answer(status, None, False, False, response.text[:200])
        if not 200 <= status < 300:
            tally.bad("unexpected status", f"{method} {path} -> {status} {response.text[:300]}")
            return Answer(status, None, False, False, response.text[:200])
        try:
            parsed = response.json()
        except ValueError:
            tally.bad("not JSON", f"{method} {path} -> {status} {response.text[:300]}")
            return Answer(status, None, False, False, response.text[:200])
        tally.outcomes["chaos: dribbled 2xx" if "fault=dribble" in applied else "2xx"] += 1
        return Answer(status, parsed, True, False, "")

    def wrong(self, what: str) -> None:
        self.shared.tally.bad("wrong answer", what)

    # -- the mix: seed updates (each with a value of its own) and the seeds' GETs --------------

    async def seed_write(self, kind: str, key: object, build: Any, shown: Any) -> None:
        """A seed update under the item's lock; `build(value)` -> (method, path, provider,
        body, value as stored); `shown(body)` -> the value the answer shows."""
        async with self.shared.locks[kind]:
            method, path, provider, body, value = build(self.value())
            answer = await self.call(f"seed {kind}", method, path, provider, body)
            if answer.ok:
                try:
                    got = shown(answer.body)
                except (KeyError, TypeError, IndexError):
                    got = "<missing>"
                if got != value:
                    self.wrong(f"{method} {path}: answered {got!r}, sent {value!r}")
                    self.shared.ledger.unsure(kind, key, value)
                else:
                    self.shared.ledger.acked(kind, key, value)
            else:
                self.shared.ledger.unsure(kind, key, value)

    async def mix(self) -> None:
        seeds = self.shared.seeds
        choice = self.rng.randrange(10)
        if choice == 0:

            def access(v: str) -> Any:
                return (
                    "PUT",
                    f"/defdrive/api/access/{DEFDRIVE_SEED_ACCESS}",
                    "defdrive",
                    {**seeds["000"], "name": v},
                    v,
                )

            await self.seed_write(
                "defdrive_access", DEFDRIVE_SEED_ACCESS, access, lambda b: b["access"]["name"]
            )
        elif choice == 1:
            public = self.rng.random() < 0.5

            def toggle(_v: str) -> Any:
                return (
                    "PUT",
                    f"/defdrive/api/files/{DEFDRIVE_FILE}/access",
                    "defdrive",
                    {"public": public},
                    public,
                )

            await self.seed_write(
                "defdrive_file", DEFDRIVE_FILE, toggle, lambda b: b["file"]["public"]
            )
        elif choice == 2:
            uuid = seeds["002"]["uuid"]

            def sharebox(v: str) -> Any:
                return (
                    "PUT",
                    f"/filerobot/{FILEROBOT_PROJECT}/v5/share/{uuid}",
                    "filerobot",
                    {**seeds["002"], "title": v},
                    v,
                )

            await self.seed_write("filerobot_share", uuid, sharebox, lambda b: b["share"]["title"])
        elif choice == 3:
            link = self.shared.oracle_seed

            def edit(v: str) -> Any:
                stamp = self.oracle_stamp()
                return (
                    "PUT",
                    f"{ORACLE_API}/{link}",
                    "oracle",
                    {**seeds["003"], "expirationTime": stamp},
                    stamp + "Z",
                )

            await self.seed_write("oracle_link", link, edit, lambda b: b.get("expirationTime"))
        elif choice == 4:
            share = self.shared.koodrive_seed

            def update(v: str) -> Any:
                return (
                    "PUT",
                    f"{KOODRIVE_API}/{share}",
                    "koodrive",
                    {**seeds["004"], "comment": v},
                    v,
                )

            await self.seed_write(
                "koodrive_share", share, update, lambda b: b["shareLink"]["comment"]
            )
        else:
            method, path, provider = self.shared.seed_gets[choice - 5]
            await self.call(f"seed GET {provider}", method, path, provider)

    def oracle_stamp(self) -> str:
        """A unique expiry: the epoch plus this client's count, to the second."""
        self.count += 1
        moment = ORACLE_EPOCH + timedelta(seconds=self.number * 10_000_000 + self.count)
        return moment.strftime("%Y-%m-%dT%H:%M:%S")

    # -- the life of an item of the client's own -----------------------------------------------

    async def lifecycle(self) -> None:
        provider = self.rng.choice(list(self.own))
        live = self.own[provider]
        if len(live) < OWN_ITEMS and (not live or self.rng.random() < 0.5):
            await self.create(provider)
            return
        key = self.rng.choice(live)
        roll = self.rng.random()
        if roll < 0.45:
            await self.update(provider, key)
        elif roll < 0.8:
            await self.read(provider, key)
        else:
            await self.delete(provider, key)

    async def create(self, provider: str) -> None:
        if provider == "defdrive":
            v = self.value()
            a = await self.call(
                "create defdrive access",
                "POST",
                f"/defdrive/api/files/{DEFDRIVE_FILE}/accesses",
                provider,
                {"name": v, "public": True},
            )
            if a.ok:
                key, got = str(a.body["access"]["id"]), a.body["access"]["name"]
                self.created(provider, "defdrive_access", key, got, v)
        elif provider == "filerobot":
            v = self.value()
            a = await self.call(
                "create filerobot sharebox",
                "POST",
                f"/filerobot/{FILEROBOT_PROJECT}/v5/shares",
                provider,
                {"title": v, "items": FILEROBOT_ITEMS},
            )
            if a.ok:
                self.created(
                    provider,
                    "filerobot_share",
                    a.body["share"]["uuid"],
                    a.body["share"]["title"],
                    v,
                )
        elif provider == "oracle":
            v, stamp = self.value(), self.oracle_stamp()
            body: dict[str, Any] = {
                "assignedUsers": "@everybody",
                "linkName": v,
                "expirationTime": stamp,
            }
            a = await self.call(
                "create oracle link", "POST", f"{ORACLE_API}/file/{ORACLE_FILE}", provider, body
            )
            if a.ok:
                self.created(
                    provider,
                    "oracle_link",
                    a.body["linkID"],
                    a.body.get("expirationTime"),
                    stamp + "Z",
                )
        else:
            v = self.value()
            body = {
                "fileIds": [KOODRIVE_FILE],
                "containerId": KOODRIVE_SPACE,
                "scope": 1,
                "validDays": 7,
                "comment": v,
            }
            a = await self.call("create koodrive share", "POST", KOODRIVE_API, provider, body)
            if a.ok:
                self.created(
                    provider,
                    "koodrive_share",
                    a.body["shareLink"]["shareId"],
                    a.body["shareLink"]["comment"],
                    v,
                )

    def created(self, provider: str, kind: str, key: str, got: Any, value: Any) -> None:
        if got != value:
            self.wrong(f"create {kind}: answered {got!r}, sent {value!r}")
            self.shared.ledger.unsure(kind, key, value)
        else:
            self.shared.ledger.acked(kind, key, value)
        self.own[provider].append(str(key))

    async def update(self, provider: str, key: str) -> None:
        kind = KIND[provider]
        if provider == "defdrive":
            v = self.value()
            a = await self.call(
                "update defdrive access",
                "PUT",
                f"/defdrive/api/access/{key}",
                provider,
                {"name": v},
            )
            got = a.body["access"]["name"] if a.ok else None
        elif provider == "filerobot":
            v = self.value()
            body = {"uuid": key, "title": v, "items": FILEROBOT_ITEMS}
            a = await self.call(
                "update filerobot sharebox",
                "PUT",
                f"/filerobot/{FILEROBOT_PROJECT}/v5/share/{key}",
                provider,
                body,
            )
            got = a.body["share"]["title"] if a.ok else None
        elif provider == "oracle":
            stamp = self.oracle_stamp()
            v = stamp + "Z"
            a = await self.call(
                "update oracle link",
                "PUT",
                f"{ORACLE_API}/{key}",
                provider,
                {"expirationTime": stamp},
            )
            got = a.body.get("expirationTime") if a.ok else None
        else:
            v = self.value()
            a = await self.call(
                "update koodrive share",
                "PUT",
                f"{KOODRIVE_API}/{key}",
                provider,
                {"validDays": 7, "comment": v},
            )
            got = a.body["shareLink"]["comment"] if a.ok else None
        if a.ok and got == v:
            self.shared.ledger.acked(kind, key, v)
        else:
            if a.ok:
                self.wrong(f"update {kind} {key}: answered {got!r}, sent {v!r}")
            self.shared.ledger.unsure(kind, key, v)

    async def read(self, provider: str, key: str) -> None:
        kind = KIND[provider]
        if provider == "defdrive":
            a = await self.call(
                "get defdrive access", "GET", f"/defdrive/api/accesses/{key}", provider
            )
            got = a.body["access"]["name"] if a.ok else None
        elif provider == "filerobot":
            a = await self.call(
                "get filerobot sharebox",
                "GET",
                f"/filerobot/{FILEROBOT_PROJECT}/v5/share/{key}",
                provider,
            )
            got = a.body["share"]["title"] if a.ok else None
        elif provider == "oracle":
            a = await self.call("get oracle link", "GET", f"{ORACLE_API}/{key}", provider)
            got = a.body.get("expirationTime") if a.ok else None
        else:
            a = await self.call("get koodrive share", "GET", f"{KOODRIVE_API}/{key}", provider)
            got = a.body["shareLink"]["comment"] if a.ok else None
        if a.ok and got not in self.shared.ledger.possible(kind, key):
            possible = self.shared.ledger.possible(kind, key)
            self.wrong(f"read {kind} {key}: {got!r}, expected one of {possible!r}")

    async def delete(self, provider: str, key: str) -> None:
        kind = KIND[provider]
        if provider == "defdrive":
            a = await self.call(
                "delete defdrive access", "DELETE", f"/defdrive/api/accesses/{key}", provider
            )
        elif provider == "filerobot":
            a = await self.call(
                "delete filerobot sharebox",
                "DELETE",
                f"/filerobot/{FILEROBOT_PROJECT}/v5/share/{key}",
                provider,
            )
        elif provider == "oracle":
            a = await self.call("delete oracle link", "DELETE", f"{ORACLE_API}/{key}", provider)
        else:
            a = await self.call(
                "cancel koodrive share",
                "POST",
                f"{KOODRIVE_API}/cancel",
                provider,
                {"shareIds": [key]},
            )
            if a.ok and [r.get("code") for r in a.body.get("subResponseList", [])] != [0]:
                self.wrong(f"cancel koodrive share {key}: {a.body!r}")
                a = Answer(a.status, a.body, False, False, "")
        # Gone from the client's list either way: an unacknowledged delete may have happened.
        self.own[provider].remove(key)
        if a.ok:
            self.shared.ledger.acked(kind, key, GONE)
        else:
            self.shared.ledger.unsure(kind, key, GONE)

    async def run(self, until: float) -> None:
        try:
            while time.monotonic() < until:
                if self.rng.random() < 0.6:
                    await self.mix()
                else:
                    await self.lifecycle()
        finally:
            await self.http.aclose()


@dataclass
class Shared:
    """What every client shares: the tally, the ledger, a lock per seed item, the seeds."""

    seed: int
    timeout: float
    seeds: dict[str, Any]
    seed_gets: list[tuple[str, str, str]]
    oracle_seed: str
    koodrive_seed: str
    tally: Tally = field(default_factory=Tally)
    ledger: Ledger = field(default_factory=Ledger)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)


def shared_state(args: argparse.Namespace) -> tuple[Shared, dict[str, dict[str, str]]]:
    """The seed bodies and GETs of bench's `mix`, and each owner's credentials."""
    from bench.workload import _credentials, workloads
    from sharemock.config import Settings

    mix = workloads()["mix"].requests
    seeds = {r.seed: json.loads(r.body) for r in mix if r.seed is not None and r.body}
    gets = [(r.method, r.path, r.provider) for r in mix if r.method == "GET"]
    oracle = next(r.path for r in mix if r.seed == "003").rsplit("/", 1)[1]
    koodrive = next(r.path for r in mix if r.seed == "004").rsplit("/", 1)[1]
    shared = Shared(args.seed, args.timeout, seeds, gets, oracle, koodrive)
    shared.locks = {
        kind: asyncio.Lock()
        for kind in (
            "defdrive_access",
            "defdrive_file",
            "filerobot_share",
            "oracle_link",
            "koodrive_share",
        )
    }
    return shared, _credentials(Settings.from_env())


# -- what the server does over time -----------------------------------------------------------


def workers_of(root: int) -> dict[int, int]:
    """pid -> RSS bytes of each uvicorn worker below `root` (multiprocessing's spawned
    children; its resource tracker left out), or of `root` itself for a single process."""
    found: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent != root:
                continue
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            if b"spawn_main" not in cmdline:
                continue
            found[int(entry)] = _rss(int(entry))
        except (OSError, ValueError):
            continue
    if not found:
        with contextlib.suppress(OSError):
            found[root] = _rss(root)
    return found


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def journal_rows(path: Path) -> int | None:
    """Rows of the request journal now (read-only; the file is in WAL mode)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as c:
            return int(c.execute("SELECT COUNT(*) FROM sharemock_journal").fetchone()[0])
    except sqlite3.Error:
        return None


@dataclass
class Sample:
    t: float
    rss: dict[int, int]
    db: int
    db_wal: int
    journal: int
    journal_wal: int
    journal_rows: int | None
    requests: int


async def sample(
    served: server.Served,
    shared: Shared,
    began: float,
    every: float,
    until: float,
    out: list[Sample],
) -> None:
    journal = Path(f"{served.db}-journal.db")
    while True:
        rows = await asyncio.to_thread(journal_rows, journal)
        out.append(
            Sample(
                t=time.monotonic() - began,
                rss=workers_of(served.pid),
                db=file_size(served.db),
                db_wal=file_size(Path(f"{served.db}-wal")),
                journal=file_size(journal),
                journal_wal=file_size(Path(f"{journal}-wal")),
                journal_rows=rows,
                requests=shared.tally.requests,
            )
        )
        if time.monotonic() >= until:
            return
        await asyncio.sleep(every)


async def export_state(base: str) -> tuple[dict[str, Any], int]:
    async with httpx.AsyncClient(timeout=60) as admin:
        answer = await admin.get(base + "/__admin/state")
        answer.raise_for_status()
        return answer.json(), len(answer.content)


# -- the figures and their criteria -----------------------------------------------------------


def windows(seconds: float) -> tuple[float, float]:
    """(warm-up, window): the warm-up is left out; the first window after it is compared with
    the last. A minute each for a run of six minutes or more; a sixth of the run otherwise."""
    width = min(60.0, seconds / 6)
    return width, width


def _median(values: list[int]) -> float:
    return float(statistics.median(values)) if values else 0.0


def rss_figures(samples: list[Sample], seconds: float) -> dict[str, Any]:
    warm, width = windows(seconds)
    pids = sorted({pid for s in samples for pid in s.rss})
    per_worker = {}
    for pid in pids:

        def window(low: float, high: float, pid: int = pid) -> list[int]:
            """The samples in [low, high); the one nearest to it when none fell inside."""
            mine = [s for s in samples if pid in s.rss]
            inside = [s.rss[pid] for s in mine if low <= s.t < high]
            if inside or not mine:
                return inside
            return [min(mine, key=lambda s: min(abs(s.t - low), abs(s.t - high))).rss[pid]]

        first = window(0, warm)
        after_warm = window(warm, warm + width)
        last = window(seconds - width, float("inf"))
        every = [s.rss[pid] for s in samples if pid in s.rss]
        base, end = _median(after_warm), _median(last)
        allowed = base + max(8 * MIB, 0.10 * base)
        per_worker[str(pid)] = {
            "first_window_mib": _median(first) / MIB,
            "after_warmup_mib": base / MIB,
            "last_window_mib": end / MIB,
            "peak_mib": max(every, default=0) / MIB,
            "growth_after_warmup_mib": (end - base) / MIB,
            "flat": end <= allowed,
        }
    return {"warmup_s": warm, "window_s": width, "workers": per_worker}


def _at(samples: list[Sample], t: float) -> Sample:
    return min(samples, key=lambda s: abs(s.t - t))


def judge(
    args: argparse.Namespace,
    tally: Tally,
    verdict: Verdict,
    samples: list[Sample],
    exports: dict[str, int],
    worker_pids: tuple[set[int], set[int]],
    seconds: float,
) -> dict[str, Any]:
    """Each criterion: its figure and whether it holds."""
    rss = rss_figures(samples, seconds)
    rows = [s.journal_rows for s in samples if s.journal_rows is not None]
    end = samples[-1]
    # The sizes the files reached by half-time: a bounded file has stopped growing by then.
    settled = [s for s in samples if s.t <= seconds / 2] or samples[:1]
    journal_allowed = int(max(s.journal for s in settled) * 1.25 + MIB)
    data_growth = max(0, exports["end"] - exports["after_warmup"])
    db_allowed = max(s.db for s in settled) + 4 * data_growth + 2 * MIB
    wal_peak = max(max(s.db_wal, s.journal_wal) for s in samples)
    rate = chaos_rate(args.chaos)
    broken = tally.outcomes["chaos: connection broken"]
    broken_allowed = int(rate * tally.requests * 1.5 + 10)
    unexpected = sum(tally.unexpected_count.values())
    criteria = {
        "no unexpected answers (5xx, 4xx, timeouts, wrong bodies)": (unexpected == 0, unexpected),
        "no unexpected 5xx": (
            tally.unexpected_count["unexpected 5xx"] == 0,
            tally.unexpected_count["unexpected 5xx"],
        ),
        "no lost acknowledged write": (verdict.ok, len(verdict.lost)),
        "every worker's RSS flat after warm-up (+max(8 MiB, 10 %))": (
            bool(rss["workers"]) and all(w["flat"] for w in rss["workers"].values()),
            {pid: round(w["growth_after_warmup_mib"], 1) for pid, w in rss["workers"].items()},
        ),
        "the same workers throughout (none died or restarted)": (
            worker_pids[0] == worker_pids[1] and len(worker_pids[0]) == args.workers,
            sorted(worker_pids[1]),
        ),
        f"journal rows <= --journal-size ({args.journal_size}) at every sample": (
            bool(rows) and max(rows) <= args.journal_size,
            max(rows, default=None),
        ),
        "journal file bounded (end <= its size by half-time x 1.25 + 1 MiB)": (
            end.journal <= journal_allowed,
            f"{end.journal / MIB:.2f} MiB (allowed {journal_allowed / MIB:.2f})",
        ),
        "state database grows only with the data (<= by half-time + 4 x data + 2 MiB)": (
            end.db <= db_allowed,
            f"{end.db / MIB:.2f} MiB (allowed {db_allowed / MIB:.2f})",
        ),
        f"WAL files bounded (each <= {WAL_LIMIT // MIB} MiB at every sample)": (
            wal_peak <= WAL_LIMIT,
            f"{wal_peak / MIB:.2f} MiB",
        ),
        "broken connections within the chaos rate (<= 1.5 x rate + 10)": (
            broken <= broken_allowed,
            f"{broken} (allowed {broken_allowed})",
        ),
    }
    return {name: {"ok": ok, "figure": figure} for name, (ok, figure) in criteria.items()}


def render(summary: dict[str, Any]) -> str:
    t = summary["tally"]
    lines = [
        f"# make soak, {summary['date']}",
        "",
        f"{summary['seconds']:.0f} s, {summary['clients']} clients, `{summary['server']}`.",
        "",
        f"Requests: {t['requests']:,} ({t['requests_per_s']:.0f}/s; p50 {t['p50_ms']:.1f} ms,"
        f" p99 {t['p99_ms']:.1f} ms of the answered ones);"
        f" acknowledged writes: {summary['ledger']['acknowledged_writes']:,}"
        f" on {summary['ledger']['items']} items.",
        "",
        "| status | count |",
        "|---|---:|",
        *(f"| {k} | {v:,} |" for k, v in sorted(t["statuses"].items())),
        "",
        "| outcome | count |",
        "|---|---:|",
        *(f"| {k} | {v:,} |" for k, v in sorted(t["outcomes"].items())),
        "",
        "| worker | first window | after warm-up | last window | peak |",
        "|---|---:|---:|---:|---:|",
    ]
    for pid, w in summary["rss"]["workers"].items():
        lines.append(
            f"| {pid} | {w['first_window_mib']:.1f} MiB | {w['after_warmup_mib']:.1f} MiB |"
            f" {w['last_window_mib']:.1f} MiB | {w['peak_mib']:.1f} MiB |"
        )
    f = summary["files"]
    lines += [
        "",
        f"(windows of {summary['rss']['window_s']:.0f} s;"
        f" warm-up {summary['rss']['warmup_s']:.0f} s)",
        "",
        f"Journal: rows max {f['journal_rows_max']} (limit {summary['journal_size']});"
        f" file {f['journal_after_warmup_mib']:.2f} MiB after warm-up, {f['journal_end_mib']:.2f}"
        f" MiB at the end (WAL {f['journal_wal_end_mib']:.2f} MiB).",
        f"State database: {f['db_start_mib']:.2f} MiB at the start,"
        f" {f['db_after_warmup_mib']:.2f} after warm-up, {f['db_end_mib']:.2f} at the end"
        f" (WAL {f['db_wal_end_mib']:.2f} MiB); its data (the export)"
        f" {f['export_start_kib']:.1f} → {f['export_end_kib']:.1f} KiB.",
        f"Unacknowledged writes that did happen: {summary['ledger']['unacknowledged_applied']};"
        f" rows of the soak no client knew of: {len(summary['ledger']['orphans'])};"
        f" server log tracebacks: {summary['server_log_tracebacks']}.",
        "",
        "| criterion | figure | |",
        "|---|---|---|",
    ]
    for name, c in summary["criteria"].items():
        lines.append(f"| {name} | {c['figure']} | {'ok' if c['ok'] else '**FAIL**'} |")
    for what in summary["tally"]["unexpected"] + summary["ledger"]["lost"][:20]:
        lines.append(f"- {what}")
    lines += ["", "PASS" if summary["passed"] else "FAIL"]
    return "\n".join(lines) + "\n"


async def soak(args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    extra = ["--workers", str(args.workers), "--journal-size", str(args.journal_size)]
    extra += ["--seed", str(args.seed), "--no-access-log"]
    if args.chaos:
        extra += ["--chaos", args.chaos]
    served = server.start(scratch, extra)
    samples: list[Sample] = []
    try:
        print(
            f"soak: mock at {served.base} (pid {served.pid}), {args.seconds:.0f} s,"
            f" {args.clients} clients",
            file=sys.stderr,
            flush=True,
        )
        shared, auth = shared_state(args)
        start_export, start_bytes = await export_state(served.base)
        del start_export
        began = time.monotonic()
        until = began + args.seconds
        first_workers = set(workers_of(served.pid))
        sampler = asyncio.create_task(
            sample(served, shared, began, args.sample_every, until, samples)
        )
        clients = [Client(n, served.base, auth, shared) for n in range(args.clients)]
        warm, _width = windows(args.seconds)
        tasks = [asyncio.create_task(c.run(until)) for c in clients]
        await asyncio.sleep(warm)
        _warm_export, warm_bytes = await export_state(served.base)
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - began
        await sampler
        last_workers = set(workers_of(served.pid))
        final, end_bytes = await export_state(served.base)
        # The journal's last batch is written a moment after the last answer.
        await asyncio.sleep(1.5)
        samples.append(
            Sample(
                t=elapsed,
                rss=workers_of(served.pid),
                db=file_size(served.db),
                db_wal=file_size(Path(f"{served.db}-wal")),
                journal=file_size(Path(f"{served.db}-journal.db")),
                journal_wal=file_size(Path(f"{served.db}-journal.db-wal")),
                journal_rows=journal_rows(Path(f"{served.db}-journal.db")),
                requests=shared.tally.requests,
            )
        )
    finally:
        server.stop(served)
    log = served.log.read_text(errors="replace")
    tally, ledger = shared.tally, shared.ledger
    verdict = check(ledger, final)
    exports = {"start": start_bytes, "after_warmup": warm_bytes, "end": end_bytes}
    criteria = judge(args, tally, verdict, samples, exports, (first_workers, last_workers), elapsed)
    rows = [s.journal_rows for s in samples if s.journal_rows is not None]
    after_warm = _at(samples, warm)
    latencies = sorted(tally.latencies_ms) or [0.0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python -m soak.run", *sys.argv[1:]]),
        "seconds": elapsed,
        "clients": args.clients,
        "server": " ".join(["sharemock serve", *extra]),
        "journal_size": args.journal_size,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "tally": {
            "requests": tally.requests,
            "requests_per_s": tally.requests / elapsed,
            "p50_ms": latencies[len(latencies) // 2],
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "statuses": dict(tally.statuses),
            "outcomes": dict(tally.outcomes),
            "by_operation": dict(tally.by_operation),
            "unexpected": tally.unexpected,
            "unexpected_count": dict(tally.unexpected_count),
        },
        "ledger": {
            "items": verdict.items,
            "acknowledged_writes": verdict.acknowledged_writes,
            "lost": verdict.lost,
            "unacknowledged_applied": verdict.unacknowledged_applied,
            "orphans": verdict.orphans,
        },
        "rss": rss_figures(samples, elapsed),
        "files": {
            "db_start_mib": samples[0].db / MIB,
            "db_after_warmup_mib": after_warm.db / MIB,
            "db_end_mib": samples[-1].db / MIB,
            "db_wal_end_mib": samples[-1].db_wal / MIB,
            "journal_after_warmup_mib": after_warm.journal / MIB,
            "journal_end_mib": samples[-1].journal / MIB,
            "journal_wal_end_mib": samples[-1].journal_wal / MIB,
            "journal_rows_max": max(rows, default=None),
            "journal_rows_end": rows[-1] if rows else None,
            "export_start_kib": start_bytes / 1024,
            "export_after_warmup_kib": warm_bytes / 1024,
            "export_end_kib": end_bytes / 1024,
        },
        "samples": [s.__dict__ for s in samples],
        "server_log_tracebacks": log.count("Traceback (most recent call last)"),
        "criteria": criteria,
        "passed": all(c["ok"] for c in criteria.values()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sharemock-soak-") as scratch:
        summary = asyncio.run(soak(args, Path(scratch)))
    text = render(summary)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    (args.results / "latest.md").write_text(text)
    print(f"results: {args.results}/latest.json, latest.md", file=sys.stderr)
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())

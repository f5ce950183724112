"""What the load is made of: the five seeds' update requests (and their GETs), exactly as the
seed replay tests send them, with each fixture user's credential."""

from __future__ import annotations

from dataclasses import dataclass, field

from sharemock.config import Settings
from sharemock.providers import provider_named
from tests.defdrive.test_seed_replay import SEED_000_BODY
from tests.filerobot.conftest import SEED_PATH as FILEROBOT_PATH
from tests.filerobot.test_seed_replay import SEED_BODY as SEED_002_BODY
from tests.koodrive.conftest import API as KOODRIVE_API
from tests.koodrive.conftest import DEMO_SHARE
from tests.koodrive.test_seed_replay import SEED_BODY as SEED_004_BODY
from tests.oracle.conftest import LINK_PATH as ORACLE_PATH
from tests.oracle.test_seed_replay import SEED_BODY as SEED_003_BODY

# Seed 001's example body, as its replay test sends it.
SEED_001_BODY = '{"public": true}'
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Request:
    """One HTTP request of a workload; `seed` names the seed document it replays, if any."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    seed: str | None = None

    @property
    def provider(self) -> str:
        """The mock's mount prefix the request goes to, e.g. `defdrive`."""
        return self.path.split("/")[1]


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    requests: tuple[Request, ...]

    @property
    def providers(self) -> tuple[str, ...]:
        """The contracts the workload needs, in order of first use."""
        return tuple(dict.fromkeys(r.provider for r in self.requests))


# The fixture user owning each seed's item.
OWNERS = {"defdrive": "johndoe", "filerobot": "demo", "oracle": "useraa", "koodrive": "demo"}


def _credentials(settings: Settings) -> dict[str, dict[str, str]]:
    """Each provider's authentication headers for the owner of the seeds' items."""
    return {name: provider_named(name).dev_headers(user, settings) for name, user in OWNERS.items()}


def workloads(settings: Settings | None = None) -> dict[str, Workload]:
    """The benchmark's workloads by name: `put` (seed 000 alone) and `mix` (every seed)."""
    auth = _credentials(settings or Settings.from_env())
    koodrive_share = f"{KOODRIVE_API}/{DEMO_SHARE}"
    seed_000 = Request(
        "PUT",
        "/defdrive/api/access/456",
        auth["defdrive"] | JSON,
        SEED_000_BODY,
        seed="000",
    )
    mix = (
        seed_000,
        Request("GET", "/defdrive/api/accesses/456", auth["defdrive"]),
        Request(
            "PUT", "/defdrive/api/files/42/access", auth["defdrive"] | JSON, SEED_001_BODY, "001"
        ),
        Request("GET", "/defdrive/api/files", auth["defdrive"]),
        Request("PUT", FILEROBOT_PATH, auth["filerobot"] | JSON, SEED_002_BODY, "002"),
        Request("GET", FILEROBOT_PATH, auth["filerobot"]),
        Request("PUT", ORACLE_PATH, auth["oracle"] | JSON, SEED_003_BODY, "003"),
        Request("GET", ORACLE_PATH, auth["oracle"]),
        Request("PUT", koodrive_share, auth["koodrive"] | JSON, SEED_004_BODY, "004"),
        Request("GET", koodrive_share, auth["koodrive"]),
    )
    return {
        "put": Workload("put", "seed 000's PUT alone", (seed_000,)),
        "mix": Workload("mix", "the five seed updates and their GETs, round-robin", mix),
    }

"""Settings, read from the environment (the CLI sets the same variables for its workers)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# A documented development secret: tokens signed with it are only good against a local mock.
DEFAULT_JWT_SECRET = "sharemock-development-secret-not-for-production"
DEFAULT_DB_PATH = ".sharemock/state.db"
# The contracts, hand-written at the repository's root: what a checkout serves (an editable
# install, or the source tree on the path), and where people edit them.
REPO_SPEC_DIR = Path(__file__).resolve().parent.parent / "openapi"


def packaged_spec_dir() -> Path:
    """The contracts sharemock serves unless told otherwise: those an installed wheel carries
    (`sharemock/openapi/`, pyproject's `package-dir` mapping), else the checkout's `openapi/`.

    A wheel installs them as files, so the path is a real directory (Connexion, Flask's file
    sending and `serve --reload` need one); sharemock is not importable from a zip archive.
    """
    packaged = files("sharemock") / "openapi"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged.resolve()
    return REPO_SPEC_DIR


DEFAULT_SPEC_DIR = packaged_spec_dir()

ENV_DB = "SHAREMOCK_DB"
ENV_DATABASE_URL = "SHAREMOCK_DATABASE_URL"
ENV_JWT_SECRET = "SHAREMOCK_JWT_SECRET"
ENV_VALIDATE_RESPONSES = "SHAREMOCK_VALIDATE_RESPONSES"
ENV_ACCESS_LOG = "SHAREMOCK_ACCESS_LOG"
ENV_SPEC_DIR = "SHAREMOCK_SPEC_DIR"
ENV_RESET = "SHAREMOCK_RESET"
ENV_LATENCY = "SHAREMOCK_LATENCY"
ENV_CHAOS = "SHAREMOCK_CHAOS"
ENV_SEED = "SHAREMOCK_SEED"
ENV_SCENARIOS = "SHAREMOCK_SCENARIOS"
ENV_JOURNAL_SIZE = "SHAREMOCK_JOURNAL_SIZE"
ENV_HOST = "SHAREMOCK_HOST"
ENV_ADMIN_TOKEN = "SHAREMOCK_ADMIN_TOKEN"
DEFAULT_JOURNAL_SIZE = 1000
ENV_MAX_BODY = "SHAREMOCK_MAX_BODY"
DEFAULT_MAX_BODY = 1 << 20  # 1 MiB (`sharemock serve --max-body`, sharemock/limits.py)

_SIZE = re.compile(r"\s*(\d+)\s*([kmg]?)(i?b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def parse_size(text: str) -> int:
    """`1048576`, `512k`, `1M`, `1MiB`, `2mb` (units of 1024) as bytes; ValueError otherwise."""
    match = _SIZE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a size: {text!r} (bytes, or a number with k, M or G)")
    size = int(match[1]) * _UNITS[match[2].lower()]
    if size <= 0:
        raise ValueError(f"a size must be more than 0 bytes, not {text!r}")
    return size


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(url: str) -> bool:
    return urlsplit(url).scheme in POSTGRES_SCHEMES


def redacted(url: str) -> str:
    """`url` without its password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


@dataclass(frozen=True)
class Settings:
    """How one mock server runs."""

    db_path: str = DEFAULT_DB_PATH
    # A `postgresql://` URL: the state is there instead of `db_path` (replicas share it).
    database_url: str | None = None
    jwt_secret: str = field(default=DEFAULT_JWT_SECRET, repr=False)
    validate_responses: bool = True
    # One line per request on stderr (`sharemock serve` turns it on; an app made in-process,
    # as the tests make it, stays quiet).
    access_log: bool = False
    spec_dir: Path = DEFAULT_SPEC_DIR
    reset: bool = False
    # Server-wide controls (`serve --latency 50-300 --chaos "rate=0.05,faults=reset" --seed 42`).
    latency: str | None = None
    chaos: str | None = None
    seed: int | None = None
    # A directory of scenario files (None: the ones sharemock ships).
    scenarios_dir: Path | None = None
    # How many requests the journal keeps (`GET /__admin/requests`); 0: no journal.
    journal_size: int = DEFAULT_JOURNAL_SIZE
    # The address `sharemock serve` binds (None: an app made in-process) and the admin token
    # that opens the admin API and the controls beyond loopback (sharemock/admin_access.py).
    host: str | None = None
    admin_token: str | None = field(default=None, repr=False)
    # The largest request body read (`serve --max-body 1M`); a larger one is the provider's 413.
    max_body: int = DEFAULT_MAX_BODY

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            db_path=env.get(ENV_DB) or DEFAULT_DB_PATH,
            database_url=env.get(ENV_DATABASE_URL) or None,
            jwt_secret=env.get(ENV_JWT_SECRET) or DEFAULT_JWT_SECRET,
            validate_responses=_flag(env.get(ENV_VALIDATE_RESPONSES), True),
            access_log=_flag(env.get(ENV_ACCESS_LOG), False),
            spec_dir=Path(env.get(ENV_SPEC_DIR) or DEFAULT_SPEC_DIR),
            reset=_flag(env.get(ENV_RESET), False),
            latency=env.get(ENV_LATENCY) or None,
            chaos=env.get(ENV_CHAOS) or None,
            seed=int(env[ENV_SEED]) if env.get(ENV_SEED) else None,
            scenarios_dir=Path(env[ENV_SCENARIOS]) if env.get(ENV_SCENARIOS) else None,
            journal_size=int(env.get(ENV_JOURNAL_SIZE) or DEFAULT_JOURNAL_SIZE),
            host=env.get(ENV_HOST) or None,
            admin_token=(env.get(ENV_ADMIN_TOKEN) or "").strip() or None,
            max_body=parse_size(env[ENV_MAX_BODY]) if env.get(ENV_MAX_BODY) else DEFAULT_MAX_BODY,
        )

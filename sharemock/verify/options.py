"""What one `sharemock verify` run is asked to do, and the checks of that request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sharemock.verify.profiles import CREDENTIAL_ENV, Credentials, Profile

PHASES = ("examples", "coverage", "fuzzing", "stateful")
REPORT_FORMATS = ("junit", "html", "markdown")


class UsageError(Exception):
    """A request `verify` cannot run (exit 2)."""


@dataclass(frozen=True)
class Options:
    """One run: the contract, the server, credentials (raw, as typed) and how far to go."""

    provider: str
    base_url: str
    token: str | None = None
    basic: str | None = None  # user:pass
    key: str | None = None
    login: str | None = None  # user:pass
    project: str | None = None
    max_examples: int | None = None
    seed: int | None = None
    operations: tuple[str, ...] = ()  # operationIds; empty: every operation
    phases: tuple[str, ...] = ()  # empty: every phase
    workers: int = 1
    request_timeout: float | None = None  # seconds
    dry_run: bool = False
    reports: tuple[tuple[str, Path], ...] = ()  # (format, path)
    spec_dir: Path | None = None  # None: the contracts sharemock ships
    progress: bool | None = None  # None: a live line on a TTY, plain lines otherwise

    def checked(self) -> Options:
        """These options, or UsageError saying what is wrong with them."""
        if not self.base_url.startswith(("http://", "https://")):
            raise UsageError(
                f"--base-url must be an http:// or https:// URL, not {self.base_url!r}"
            )
        for phase in self.phases:
            if phase not in PHASES:
                raise UsageError(f"unknown phase {phase!r} (known: {', '.join(PHASES)})")
        for kind, _path in self.reports:
            if kind not in REPORT_FORMATS:
                raise UsageError(
                    f"unknown report format {kind!r} (known: {', '.join(REPORT_FORMATS)})"
                )
        if self.max_examples is not None and self.max_examples < 1:
            raise UsageError("--max-examples must be at least 1")
        if self.workers < 1:
            raise UsageError("--workers must be at least 1")
        if self.request_timeout is not None and self.request_timeout <= 0:
            raise UsageError("--request-timeout must be a positive number of seconds")
        return self

    @property
    def selected_phases(self) -> tuple[str, ...]:
        return tuple(p for p in PHASES if p in self.phases) if self.phases else PHASES


def _pair(option: str, value: str) -> tuple[str, str]:
    user, colon, password = value.partition(":")
    if not colon or not user:
        raise UsageError(f"--{option} takes user:password, not {value!r}")
    return user, password


def credentials_for(options: Options, profile: Profile, env: Mapping[str, str]) -> Credentials:
    """The run's credentials: each option, else its environment variable, else the mock's
    development credentials. An option the provider does not take is a usage error; such an
    environment variable is ignored (one environment may serve several providers)."""
    given = {name: getattr(options, name) for name in CREDENTIAL_ENV}
    for name, value in given.items():
        if value is not None and name not in profile.accepts:
            takes = ", ".join(f"--{kind}" for kind in profile.accepts)
            raise UsageError(f"--{name} does not apply to {profile.provider} (it takes {takes})")
    values: dict[str, str] = {}
    for name in profile.accepts:
        value = given[name] if given[name] is not None else env.get(CREDENTIAL_ENV[name]) or None
        if value is not None:
            values[name] = value
    chosen = Credentials(
        token=values.get("token"),
        basic=_pair("basic", values["basic"]) if "basic" in values else None,
        key=values.get("key"),
        login=_pair("login", values["login"]) if "login" in values else None,
        project=values.get("project"),
    )
    defaults = profile.defaults
    secret_given = bool(chosen.given() - {"project"})
    return Credentials(
        token=chosen.token if secret_given else defaults.token,
        basic=chosen.basic if secret_given else defaults.basic,
        key=chosen.key if secret_given else defaults.key,
        login=chosen.login if secret_given else defaults.login,
        project=chosen.project if chosen.project is not None else defaults.project,
    )

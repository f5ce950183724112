"""What `sharemock verify` knows of each provider that its contract cannot say.

A profile is the provider's half of a Schemathesis configuration: how a client authenticates
(and with which of `--token`, `--basic`, `--key`, `--login`, `--project`), and the rules the
repository's `schemathesis.toml` gives the Schemathesis CLI for the same contract, so a run
needs no configuration file in the working directory. `tests/test_verify_profiles.py` checks
that the two say the same.

The defaults are the mock's development credentials (README, "Development credentials").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Credential options, by the option's name (`--token` ...) and its environment variable.
CREDENTIAL_ENV = {
    "token": "SHAREMOCK_VERIFY_TOKEN",
    "basic": "SHAREMOCK_VERIFY_BASIC",
    "key": "SHAREMOCK_VERIFY_KEY",
    "login": "SHAREMOCK_VERIFY_LOGIN",
    "project": "SHAREMOCK_VERIFY_PROJECT",
}


@dataclass(frozen=True)
class Credentials:
    """What the run authenticates with; a `user:pass` option is split at its first colon."""

    token: str | None = None
    basic: tuple[str, str] | None = None
    key: str | None = None
    login: tuple[str, str] | None = None
    project: str | None = None

    def given(self) -> set[str]:
        """The credential options that carry a value."""
        return {name for name in CREDENTIAL_ENV if getattr(self, name) is not None}


@dataclass(frozen=True)
class Profile:
    """One contract's built-in rules and way of authenticating."""

    provider: str
    # The credential options this provider takes (others are a usage error).
    accepts: tuple[str, ...]
    defaults: Credentials
    auth: Callable[[Credentials], dict[str, Any]]
    describe: Callable[[Credentials], str]
    rules: Callable[[Credentials], dict[str, Any]] = lambda _credentials: {}
    dictionaries: Mapping[str, list[str]] = field(default_factory=dict)


# -- DefDrive: a JWT from `POST /api/login` (a fresh one per run), or a token given. ----------


def _defdrive_auth(credentials: Credentials) -> dict[str, Any]:
    if credentials.token is not None:
        return {"openapi": {"bearerAuth": {"bearer": credentials.token}}}
    username, password = credentials.login or ("", "")
    login = {
        "path": "/api/login",
        "payload": {"username": username, "password": password},
        "extract_selector": "/token",
    }
    return {"dynamic": {"openapi": {"bearerAuth": login}}}


def _defdrive_describe(credentials: Credentials) -> str:
    if credentials.token is not None:
        return "Bearer token given"
    user = credentials.login[0] if credentials.login else "?"
    return f"a fresh JWT from POST /api/login as {user}"


def _defdrive(provider: str) -> Profile:
    return Profile(
        provider=provider,
        accepts=("token", "login"),
        defaults=Credentials(login=("johndoe", "password123")),
        auth=_defdrive_auth,
        describe=_defdrive_describe,
    )


# -- Filerobot: the project's key, on the project's own path. -------------------------------


def _filerobot_rules(credentials: Credentials) -> dict[str, Any]:
    project = credentials.project
    return {
        # A key opens only its own project's path; a create body's `token` must be the path's.
        "parameters": {"path.token": project, "body.token": project},
        "operations": [
            # The public view answers a share's own moment: 410 once it expired (the coverage
            # phase creates shareboxes whose `expiresAt` has passed), as documented.
            {
                "include-operation-id": ["getPublicShare"],
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [
                            *("2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx")
                        ]
                    }
                },
            }
        ],
    }


_FILEROBOT = Profile(
    provider="filerobot",
    accepts=("key", "project"),
    defaults=Credentials(key="demo-key", project="demo"),
    auth=lambda c: {"openapi": {"filerobotKey": {"api_key": c.key}}},
    describe=lambda c: f"X-Filerobot-Key for project {c.project}",
    rules=_filerobot_rules,
)

# -- Oracle: HTTP Basic, or a Bearer token given; XML cases judged as the server reads them. --


def _oracle_auth(credentials: Credentials) -> dict[str, Any]:
    if credentials.token is not None:
        return {"openapi": {"bearerAuth": {"bearer": credentials.token}}}
    username, password = credentials.basic or ("", "")
    return {"openapi": {"basicAuth": {"username": username, "password": password}}}


_ORACLE = Profile(
    provider="oracle",
    accepts=("basic", "token"),
    defaults=Credentials(basic=("useraa", "welcome1")),
    auth=_oracle_auth,
    describe=lambda c: (
        "Bearer token given"
        if c.token is not None
        else f"HTTP Basic as {c.basic[0] if c.basic else '?'}"
    ),
    # Schemathesis's XML serializer is lossy: sharemock.contract_hooks drops its artefacts.
    rules=lambda _c: {"hooks": "sharemock.contract_hooks"},
)

# -- KooDrive: the access token; creation steered toward the user's own space and files. ------

_KOODRIVE_SPACE = ["IAAB5thdWzxEoAsiA1681759183084696448"]
_KOODRIVE_FILES = [
    "FumFysUZDLUEAGaRDVyFC76wn87hIwVpB",
    "FkT3xQp8cWmZ0aLrVb2nDy6sHe4uJi9oN",
    "Fq7RwYb1nLsK4dGhZx8cVm2pTa5eUj0iO",
]


def _koodrive_rules(_credentials: Credentials) -> dict[str, Any]:
    return {
        # Steer creation toward demo's space and files (any other space is refused), so
        # stateful runs have fresh shares to follow their links from.
        "parameters": {
            "body.containerId": {"dictionary": "demo-space", "probability": 0.8},
            "body.fileIds[*]": {"dictionary": "demo-files", "probability": 0.9},
        },
        # KooDrive answers business refusals with HTTP 400 and a business code, also for
        # requests the schema calls well formed (an unknown shareId, a space or file the caller
        # does not have).
        "operations": [
            {
                "include-operation-id": ["createShare", "getShareByMeDetail", "updateShare"],
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [
                            *("2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx")
                        ]
                    }
                },
            }
        ],
    }


_KOODRIVE = Profile(
    provider="koodrive",
    accepts=("token",),
    defaults=Credentials(token="demo-access-token"),
    auth=lambda c: {"openapi": {"accessToken": {"api_key": f"Bearer {c.token}"}}},
    describe=lambda _c: "Authorization: Bearer <access token>",
    rules=_koodrive_rules,
    dictionaries={"demo-space": _KOODRIVE_SPACE, "demo-files": _KOODRIVE_FILES},
)

PROFILES: dict[str, Profile] = {
    "defdrive": _defdrive("defdrive"),
    # The deployed dialect logs in the same way, at its own (identical) path.
    "defdrive-deployed": _defdrive("defdrive-deployed"),
    "filerobot": _FILEROBOT,
    "oracle": _ORACLE,
    "koodrive": _KOODRIVE,
}


def profile_for(provider: str) -> Profile:
    """The profile of a provider; LookupError naming the known ones otherwise."""
    try:
        return PROFILES[provider]
    except KeyError:
        known = ", ".join(PROFILES)
        raise LookupError(f"unknown provider {provider!r} (known: {known})") from None


def project_config(profile: Profile, credentials: Credentials) -> dict[str, Any]:
    """The Schemathesis configuration (the `schemathesis.toml` form) for one run's contract."""
    config: dict[str, Any] = {"auth": profile.auth(credentials), **profile.rules(credentials)}
    if profile.dictionaries:
        config["dictionaries"] = {
            name: {"values": list(values)} for name, values in profile.dictionaries.items()
        }
    return config

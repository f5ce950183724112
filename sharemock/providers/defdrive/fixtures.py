"""DefDrive's seeded state: the users, files and accesses the seeds and README rely on.

Development-only: the credentials seeded here are published (README "Development
credentials"); never reuse them anywhere real.
"""

from __future__ import annotations

from dataclasses import dataclass

from sharemock.database import Connection
from sharemock.providers.defdrive import store
from sharemock.providers.defdrive.auth import hash_password
from sharemock.providers.defdrive.types import AccessSettings, File, User


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    password: str
    name: str

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


# When the fixture users signed up.
JOINED = "2026-03-01T09:00:00Z"

USERS = (
    Account(15, "johndoe", "password123", "John Doe"),
    Account(16, "janedoe", "password456", "Jane Doe"),
)

FILES = (
    File(
        id=42,
        name="document.pdf",
        location="johndoe/document.pdf",
        size=2048576,
        public=False,
        user_id=15,
        created_at="2026-03-04T10:30:00Z",
        updated_at="2026-03-04T10:30:00Z",
    ),
    File(
        id=43,
        name="budget.xlsx",
        location="janedoe/budget.xlsx",
        size=48213,
        public=False,
        user_id=16,
        created_at="2026-03-05T09:15:00Z",
        updated_at="2026-03-05T09:15:00Z",
    ),
)

# (id, file, link hash, settings, written at)
ACCESSES = (
    (
        456,
        42,
        "0c2a8e5b9f6d4e1a8b7c3d2e1f0a9b8c",
        AccessSettings(name="Team Access", public=True),
        "2026-03-04T11:00:00Z",
    ),
    (
        457,
        43,
        "7d1e4f2a9c3b8e6d5a0f1c2b3e4d5a6f",
        AccessSettings(name="Budget Review", public=True),
        "2026-03-05T09:20:00Z",
    ),
)


def load(conn: Connection) -> None:
    for account in USERS:
        password_hash = hash_password(account.password, salt=f"seed-{account.id}")
        user = User(
            account.id,
            account.username,
            password_hash,
            account.name,
            account.email,
            created_at=JOINED,
            updated_at=JOINED,
        )
        store.insert_user(conn, user)
    for file in FILES:
        store.insert_file(conn, file)
    for access_id, file_id, link, settings, written_at in ACCESSES:
        store.insert_access(conn, file_id, link, settings, written_at, access_id=access_id)

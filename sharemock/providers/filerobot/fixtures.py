"""Filerobot's seeded state: two projects, and the sharebox of the seed in `demo`.

Development-only: the credentials seeded here are published (README "Development
credentials"); never reuse them anywhere real.
"""

from __future__ import annotations

from sharemock.database import Connection
from sharemock.providers.filerobot import store
from sharemock.providers.filerobot.auth import key_digest
from sharemock.providers.filerobot.types import (
    NO_PASSWORD,
    Credential,
    FolderOptions,
    Item,
    Project,
    ShareSettings,
)

# (project token, API key). `demo` and `other` cannot see each other's shareboxes.
PROJECTS = (("demo", "demo-key"), ("other", "other-key"))

SEED_UUID = "028f53bb-0148-409f-88ed-483dd8c33e6e"
SEED_PUID = "sY6mkuRLxuhXh81YccsLSwE0fu"
OTHER_UUID = "6c1d9e2f-4b7a-4f3e-9d8c-5a2b1e0f3c47"
OTHER_PUID = "Rm3XcV9bTq2LwP8nZs5KdY7hGf"

# (uuid, project, puid, public page base, settings, written at)
SHAREBOXES = (
    (
        SEED_UUID,
        "demo",
        SEED_PUID,
        # The seed's response address, verbatim: its project segment is the docs' literal
        # `token` placeholder; a sharebox created through the mock carries its project there.
        f"https://share.filerobot.com/token/v3/s/{SEED_PUID}",
        ShareSettings(
            title="My share link",
            description="Short description 123",
            items=(
                Item(
                    "file_uuid",
                    (
                        "59aac4eb-ccf1-56b3-a4d6-634e77750000",
                        "f2ebf6f6-39f2-56e6-ba74-d9b956c50000",
                    ),
                ),
            ),
            starts_at=None,
            expires_at=None,
            starts_tz="Europe/London",
            expires_tz="Europe/London",
            auth=NO_PASSWORD,
        ),
        "2024-08-17T17:29:00Z",
    ),
    (
        OTHER_UUID,
        "other",
        OTHER_PUID,
        f"https://share.filerobot.com/other/v3/s/{OTHER_PUID}",
        ShareSettings(
            title="Press kit",
            description="Logos and product photos for partners",
            items=(
                Item(
                    "folder_uuid",
                    ("0b5f2b0e-7b5a-5d35-9c51-3f7d1c2e0000",),
                    FolderOptions(recursive=True, visibility="PUB"),
                ),
            ),
            starts_at="2024-09-01T08:00:00Z",
            expires_at="2024-12-31T23:59:59Z",
            starts_tz="Europe/Paris",
            expires_tz="Europe/Paris",
            auth=(Credential("press-2024", ""),),
            show_expires_at=True,
        ),
        "2024-08-20T09:15:00Z",
    ),
)


def load(conn: Connection) -> None:
    for token, key in PROJECTS:
        store.insert_project(conn, Project(token, key_digest(key)))
    for uuid, project, puid, base, settings, written_at in SHAREBOXES:
        store.insert_sharebox(conn, uuid, project, puid, base, settings, written_at)

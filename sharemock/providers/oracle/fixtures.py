"""Oracle's seeded state: the seed's link and owner, a second user, their files and folder.

Development-only: the credentials seeded here are published (README "Development
credentials"); never reuse them anywhere real.
"""

from __future__ import annotations

from dataclasses import dataclass

from sharemock.database import Connection
from sharemock.providers.oracle import store
from sharemock.providers.oracle.auth import hash_password
from sharemock.providers.oracle.types import Item, LinkSettings, PublicLink, User


@dataclass(frozen=True)
class Account:
    id: str
    login: str
    password: str
    token: str
    display_name: str


USER_AA = Account(
    "U0EAA20910FAF3052ACB79E4T00000000001", "useraa", "welcome1", "useraa-token", "User AA"
)
USER_BB = Account(
    "U0EAA20910FAF3052ACB79E4T00000000002", "userbb", "welcome2", "userbb-token", "User BB"
)
USERS = (USER_AA, USER_BB)

# The seed's link sits on this file of User AA.
AA_FILE = Item("DFF20D933802FC5C0B3695E5T0000000000100000001", "file", "pub-test.docx", USER_AA.id)
AA_FOLDER = Item("FB12DCE46A77C10217147411T0000000000100000001", "folder", "Designs", USER_AA.id)
BB_FILE = Item("D3C6DAC4D142CA58707FCD76T0000000000100000001", "file", "budget.xlsx", USER_BB.id)
ITEMS = (AA_FILE, AA_FOLDER, BB_FILE)

SEED_LINK = PublicLink(
    id="LFCE8A35C88A6A96FD39B621T0000000000100000001",
    item_id=AA_FILE.id,
    name="pub-test-158",
    settings=LinkSettings(assigned_users="@everybody", role="viewer"),
    owner_id=USER_AA.id,
    owner_name=USER_AA.display_name,
    created_time="2015-06-05T21:04:56Z",
    last_modified_time="2015-06-10T22:01:08Z",
)
BB_LINK = PublicLink(
    id="L039C76B2853DECAAD5E5A3AT0000000000100000001",
    item_id=BB_FILE.id,
    name="budget-review",
    settings=LinkSettings(assigned_users="useraa", role="downloader"),
    owner_id=USER_BB.id,
    owner_name=USER_BB.display_name,
    created_time="2015-07-01T09:00:00Z",
    last_modified_time="2015-07-01T09:00:00Z",
)
LINKS = (SEED_LINK, BB_LINK)


def load(conn: Connection) -> None:
    for account in USERS:
        password_hash = hash_password(account.password, salt=f"seed-{account.login}")
        store.insert_user(
            conn,
            User(account.id, account.login, account.display_name, password_hash, account.token),
        )
    for item in ITEMS:
        store.insert_item(conn, item)
    for link in LINKS:
        store.insert_link(
            conn,
            link.id,
            link.item_id,
            link.name,
            link.settings,
            link.owner_id,
            link.created_time,
            link.last_modified_time,
        )

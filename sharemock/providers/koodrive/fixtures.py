"""KooDrive's seeded state: two users, their spaces and files, and one share each.

The `demo` user's share is the seed's example share (`004_bb159b35898a6465.txt`) as it was
before the seed's update: shared at `2025-05-20T01:37:49.052Z` for 7 days.

Development-only: the credentials seeded here are published (README "Development
credentials"); never reuse them anywhere real.
"""

from __future__ import annotations

from sharemock.database import Connection
from sharemock.providers.koodrive import store
from sharemock.providers.koodrive.types import Container, Share, StoredFile, User

DEMO = User("1681759180324844417", "demo", "demo-access-token")
OTHER = User("1702450318930124801", "other", "other-access-token")
USERS = (DEMO, OTHER)

DEMO_SPACE = "IAAB5thdWzxEoAsiA1681759183084696448"
OTHER_SPACE = "IAAB5thdWzxEoAsiA1702450320551849728"
CONTAINERS = (Container(DEMO_SPACE, DEMO.id), Container(OTHER_SPACE, OTHER.id))

FILES = (
    StoredFile("FumFysUZDLUEAGaRDVyFC76wn87hIwVpB", DEMO_SPACE, "jpeg_20250513_103635.jpeg"),
    StoredFile("FkT3xQp8cWmZ0aLrVb2nDy6sHe4uJi9oN", DEMO_SPACE, "quarterly_report.pdf"),
    StoredFile("Fq7RwYb1nLsK4dGhZx8cVm2pTa5eUj0iO", DEMO_SPACE, "team_photo.png"),
    StoredFile("FbX9kLm2nQ4rS6tU8vW0yZ1aB3cD5eF7g", OTHER_SPACE, "budget_2025.xlsx"),
)

DEMO_SHARE = Share(
    id="1689743054514187776",
    short_url="1689743054514187777",
    owner_id=DEMO.id,
    container_id=DEMO_SPACE,
    file_ids=("FumFysUZDLUEAGaRDVyFC76wn87hIwVpB",),
    scope=1,
    extract_code="MDg2K0vU",
    display_name="jpeg_20250513_103635.jpeg",
    status=0,
    comment="123",
    view_cnt=0,
    download_cnt=0,
    save_cnt=0,
    share_time="2025-05-20T01:37:49.052Z",
    create_time="2025-05-20T01:37:49.052Z",
    update_time="2025-05-20T01:37:49.052Z",
    expire_time="2025-05-27T01:37:49.052Z",
)

OTHER_SHARE = Share(
    id="1702456628175749120",
    short_url="1702456628175749121",
    owner_id=OTHER.id,
    container_id=OTHER_SPACE,
    file_ids=("FbX9kLm2nQ4rS6tU8vW0yZ1aB3cD5eF7g",),
    scope=2,
    extract_code="",
    display_name="budget_2025.xlsx",
    status=0,
    comment="Q3 numbers",
    view_cnt=4,
    download_cnt=1,
    save_cnt=0,
    share_time="2025-06-02T08:15:30.000Z",
    create_time="2025-06-02T08:15:30.000Z",
    update_time="2025-06-02T08:15:30.000Z",
    expire_time="2025-07-02T08:15:30.000Z",
)

SHARES = (DEMO_SHARE, OTHER_SHARE)


def load(conn: Connection) -> None:
    for user in USERS:
        store.insert_user(conn, user)
    for container in CONTAINERS:
        store.insert_container(conn, container)
    for file in FILES:
        store.insert_file(conn, file)
    for share in SHARES:
        store.insert_share(conn, share)

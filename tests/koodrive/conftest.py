from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.conftest import FrozenClock

# The moment of the seed's example update (its response's `updateTime`).
SEED_MOMENT = datetime(2025, 5, 20, 2, 17, 41, 222000, tzinfo=UTC)
API = "/koodrive/koodrive/ose/v1/share"
DEMO_SHARE = "1689743054514187776"
OTHER_SHARE = "1702456628175749120"


@pytest.fixture
def clock() -> FrozenClock:
    """KooDrive tests run at the seed's moment unless they move the clock."""
    return FrozenClock(SEED_MOMENT)


@pytest.fixture
def demo(credential: Callable[[str, str], str]) -> dict[str, str]:
    """Headers of user 1681759180324844417 (owner of share 1689743054514187776)."""
    return {"Authorization": f"Bearer {credential('koodrive', 'demo')}"}


@pytest.fixture
def other(credential: Callable[[str, str], str]) -> dict[str, str]:
    """Headers of user 1702450318930124801 (owner of share 1702456628175749120)."""
    return {"Authorization": f"Bearer {credential('koodrive', 'other')}"}

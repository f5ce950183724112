from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def john(credential: Callable[[str, str], str]) -> dict[str, str]:
    """Headers of johndoe (userID 15, owner of file 42 and access 456)."""
    return {"Authorization": f"Bearer {credential('defdrive', 'johndoe')}"}


@pytest.fixture
def jane(credential: Callable[[str, str], str]) -> dict[str, str]:
    """Headers of janedoe (userID 16, owner of file 43 and access 457)."""
    return {"Authorization": f"Bearer {credential('defdrive', 'janedoe')}"}

from __future__ import annotations

from collections.abc import Callable

import pytest

SEED_UUID = "028f53bb-0148-409f-88ed-483dd8c33e6e"
OTHER_UUID = "6c1d9e2f-4b7a-4f3e-9d8c-5a2b1e0f3c47"
SEED_PATH = f"/filerobot/demo/v5/share/{SEED_UUID}"
OTHER_PATH = f"/filerobot/other/v5/share/{OTHER_UUID}"
FILE_A = "59aac4eb-ccf1-56b3-a4d6-634e77750000"
FILE_B = "f2ebf6f6-39f2-56e6-ba74-d9b956c50000"


@pytest.fixture
def demo(credential: Callable[[str, str], str]) -> dict[str, str]:
    """Headers of project `demo` (owner of the seed's sharebox)."""
    return {"X-Filerobot-Key": credential("filerobot", "demo")}


@pytest.fixture
def other(credential: Callable[[str, str], str]) -> dict[str, str]:
    """Headers of project `other` (owner of sharebox OTHER_UUID)."""
    return {"X-Filerobot-Key": credential("filerobot", "other")}

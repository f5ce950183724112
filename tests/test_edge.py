"""The error edge: diagnostics are always valid header values."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from sharemock.edge import header_safe


@pytest.mark.parametrize(
    "text", ["\x1b[31m", "tab\tand\nnewline", "naïve ünïcode", "\x00\x7f", "a" * 2000]
)
def test_header_safe_is_printable_ascii_on_one_line(text: str) -> None:
    value = header_safe(text)
    assert value.isascii()
    assert all(" " <= char <= "~" for char in value)
    assert len(value) <= 512


def test_control_characters_in_a_query_name_do_not_break_the_answer(
    client: TestClient,
) -> None:
    """An undeclared query parameter named ESC used to put ESC in X-Sharemock-Detail."""
    response = client.get(
        "/koodrive/koodrive/ose/v1/share?%1B=null",
        headers={"Authorization": "Bearer demo-access-token"},
    )
    assert response.status_code == 400
    detail = response.headers["X-Sharemock-Detail"]
    assert "\x1b" not in detail and "\\x1b" in detail

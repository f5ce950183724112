"""Connexion's check of each contract against the OpenAPI schema, made once per document.

Connexion validates a document whenever an API is added, and again for each copy it makes of
the specification (`with_base_path`): about 30 ms a contract, most of building an app. The
verdict depends on the document alone, so a document found valid is remembered per process by
a digest of its content; any change to it is checked again, and a refusal is never remembered.
Building an app again (a test per app, a reloaded contract, each worker's start) then skips it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from connexion.spec import Specification

_VALID: set[bytes] = set()
_CHECK = Specification.__dict__["_validate_spec"].__func__


def _digest(spec: Any) -> bytes:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _validate_once(cls: type[Specification], spec: Any) -> None:
    digest = _digest(spec)
    if digest in _VALID:
        return
    _CHECK(cls, spec)  # raises InvalidSpecification for an invalid document
    _VALID.add(digest)


def install() -> None:
    """Make Connexion's validation remember valid documents (idempotent)."""
    Specification._validate_spec = classmethod(_validate_once)

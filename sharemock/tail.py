"""`sharemock tail`: the journal's live view (`GET /__admin/requests?follow=1`), one line a
request, each refused one with every reason."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import Any, TextIO
from urllib.parse import urlencode


def line(entry: dict[str, Any]) -> str:
    """`12:03:04.123 400 PUT /defdrive/api/access/456 defdrive.updateAccess 3.2ms — reasons`."""
    where = ".".join(part for part in (entry.get("provider"), entry.get("operation")) if part)
    text = (
        f"{entry['at'][11:23]} {entry['status']} {entry['method']} {entry['path']}"
        f" {where or '-'} {entry['durationMs']:.1f}ms"
    )
    if entry.get("applied"):
        text += f" [{entry['applied']}]"
    reasons = [
        f"{reason['in']}{reason.get('pointer') or ''} {reason['rule']}: {reason['message']}"
        for reason in entry.get("reasons", ())
    ]
    return text + (" — " + "; ".join(reasons) if reasons else "")


def follow(
    url: str,
    *,
    provider: str | None = None,
    status: int | None = None,
    count: int | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Print each new entry until `count` were printed, the server ends, or Ctrl-C."""
    query = {"follow": "1"}
    if provider:
        query["provider"] = provider
    if status is not None:
        query["status"] = str(status)
    address = f"{url.rstrip('/')}/__admin/requests?{urlencode(query)}"
    request = urllib.request.Request(address, headers={"Accept": "text/event-stream"})
    printed = 0
    try:
        with urllib.request.urlopen(request) as stream:
            for raw in stream:  # one SSE line at a time; an event's data is one line
                text = raw.decode("utf-8").rstrip("\n")
                if not text.startswith("data: "):
                    continue
                print(line(json.loads(text[len("data: ") :])), file=out, flush=True)
                printed += 1
                if count is not None and printed >= count:
                    return 0
    except KeyboardInterrupt:
        return 0
    except urllib.error.HTTPError as error:
        print(f"sharemock tail: {address}: {error.code} {error.read().decode()}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"sharemock tail: {address}: {error}", file=sys.stderr)
        return 1
    return 0

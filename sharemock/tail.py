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
    """Print each new entry until `count` were printed, the server goes away, or Ctrl-C.

    The server ends each stream after a few seconds; this reconnects at once, resuming after
    the last entry it printed (`Last-Event-ID`), so nothing is missed or printed twice.
    """
    query = {"follow": "1"}
    if provider:
        query["provider"] = provider
    if status is not None:
        query["status"] = str(status)
    address = f"{url.rstrip('/')}/__admin/requests?{urlencode(query)}"
    printed, last = 0, ""
    try:
        while True:
            headers = {"Accept": "text/event-stream", **({"Last-Event-ID": last} if last else {})}
            with urllib.request.urlopen(urllib.request.Request(address, headers=headers)) as stream:
                for raw in stream:  # one SSE line at a time; an event's data is one line
                    text = raw.decode("utf-8").rstrip("\n")
                    if text.startswith("id: "):
                        last = text[len("id: ") :]
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

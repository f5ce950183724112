"""The machine's ceiling: a bare Starlette handler under uvicorn, one fixed JSON body for every
request (no routing by contract, no validation, no state)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = b'{"message":"ok"}'


async def answer(request: Request) -> Response:
    return Response(BODY, media_type="application/json")


app = Starlette(
    routes=[Route("/{path:path}", answer, methods=["GET", "PUT", "POST", "DELETE", "PATCH"])]
)

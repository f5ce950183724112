"""A deliberately non-conforming DefDrive server, for `sharemock verify` to catch.

It serves the documented contract's paths (openapi/defdrive.yaml) as the contract says —
request bodies checked against the contract's own schemas, 401 without the token, 405 with
`Allow` for an undeclared method — except for five defects, each one a Schemathesis check
names:

- `GET /api/files` answers 200 without credentials (`ignored_auth`) and sends `size` as a
  string (`response_schema_conformance`);
- `GET /api/files/{fileID}/accesses` answers 418, which the contract does not document
  (`status_code_conformance`);
- `POST /api/files/{fileID}/accesses` answers 500 to a body the contract refuses
  (`not_a_server_error`);
- `DELETE /api/accesses/{accessID}` says it deleted the access, which `GET` still answers
  (`use_after_free`).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from jsonschema import Draft4Validator
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sharemock.config import Settings
from sharemock.spec import load_document
from tests.serving import free_port

TOKEN = "good-token"
CONTRACT = load_document(Settings().spec_dir / "defdrive.yaml")
FILE = {
    "id": 42,
    "name": "document.pdf",
    "location": "johndoe/document.pdf",
    "user_id": 15,
    "size": "2048576",  # defect: the contract says integer
    "public": False,
    "created_at": "2026-03-04T10:30:00Z",
    "updated_at": "2026-03-04T10:30:00Z",
}
# Path templates (as regular expressions) and the methods the contract declares on them.
ROUTES = {
    "login": (r"/api/login", {"POST"}),
    "files": (r"/api/files", {"GET"}),
    "toggle": (r"/api/files/(?P<id>[^/]+)/access", {"PUT"}),
    "accesses": (r"/api/files/(?P<id>[^/]+)/accesses", {"GET", "POST"}),
    "update": (r"/api/access/(?P<id>[^/]+)", {"PUT"}),
    "access": (r"/api/accesses/(?P<id>[^/]+)", {"GET", "DELETE"}),
    "link": (r"/link/(?P<id>[^/]+)", {"GET"}),
}


def _valid(schema_name: str, body: Any) -> bool:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": CONTRACT["components"]}
    return bool(
        Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER).is_valid(body)
    )


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


class Faulty:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accesses: dict[int, dict[str, Any]] = {}
        self.next_id = 500

    async def handle(self, request: Request) -> Response:
        path, method = request.url.path, request.method
        for name, (pattern, methods) in ROUTES.items():
            found = re.fullmatch(pattern, path)
            if found is None:
                continue
            if method not in methods:
                allow = ", ".join(sorted(methods))
                return JSONResponse(
                    {"error": "Method not allowed"}, status_code=405, headers={"Allow": allow}
                )
            raw = await request.body()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = ...
            return self.answer(name, method, found.groupdict().get("id"), body, request)
        return _error(404, "404 page not found")

    def answer(
        self, name: str, method: str, ident: str | None, body: Any, request: Request
    ) -> Response:
        if name == "login":
            if body is ... or not _valid("LoginRequest", body):
                return _error(400, "Invalid request body")
            user = {"id": 15, "username": body["username"], "email": "j@example.com", "name": "J"}
            return JSONResponse({"message": "Login successful", "token": TOKEN, "user": user})
        if name == "files":
            return JSONResponse({"files": [FILE]})  # defect: answers without credentials
        if name == "link":
            return _error(404, "Link not found")
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return _error(401, "User not authenticated")
        if ident is None or not ident.isdigit() or int(ident) > 4294967295:
            return _error(400, "Invalid ID")
        number = int(ident)
        if name == "toggle":
            if body is ... or not _valid("TogglePublicRequest", body):
                return _error(400, "Invalid request body")
            return _error(404, "File not found")
        if name == "accesses" and method == "GET":
            return _error(418, "I'm a teapot")  # defect: an undocumented status
        if name == "accesses":
            if body is ... or not _valid("AccessInput", body):
                return _error(500, "internal error")  # defect: a 500, not a 400
            return self.create(number, body)
        if name == "update":
            if body is ... or not _valid("AccessInput", body):
                return _error(400, "Invalid request body")
            return _error(404, "Access record not found")
        with self.lock:
            access = self.accesses.get(number)
        if access is None:
            return _error(404, "Access record not found")
        if method == "DELETE":
            return JSONResponse({"message": "Access deleted successfully"})  # defect: kept
        return JSONResponse({"access": access})

    def create(self, file_id: int, body: dict[str, Any]) -> Response:
        if file_id != 42:
            return _error(404, "File not found")
        with self.lock:
            self.next_id += 1
            access = {
                "id": self.next_id,
                "fileID": file_id,
                "name": body.get("name", ""),
                "link": f"{self.next_id:032x}",
                "subnets": body.get("subnets", []),
                "ips": body.get("ips", []),
                "expires": body.get("expires", ""),
                "public": body.get("public", False),
                "oneTimeUse": body.get("oneTimeUse", False),
                "ttl": body.get("ttl", 0),
                "enableTTL": body.get("enableTTL", False),
            }
            self.accesses[self.next_id] = access
        link = f"http://localhost/link/{access['link']}"
        return JSONResponse({"message": "Access created", "access": access, "link": link})


def app() -> Starlette:
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "QUERY"]
    faulty = Faulty()
    return Starlette(routes=[Route("/{rest:path}", faulty.handle, methods=methods)])


@contextmanager
def faulty_defdrive() -> Iterator[str]:
    """The faulty server on a free loopback port, in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app(), port=port, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

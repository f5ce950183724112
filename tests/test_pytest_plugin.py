"""The pytest plugin (`sharemock/pytest_plugin.py`): test files a client's suite would have,
run by pytester with the plugin as its entry point loads it, against plain HTTP clients."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from sharemock.config import Settings
from sharemock.pytest_plugin import MockServer

pytest_plugins = ["pytester"]

# The entry point's name (pyproject's `pytest11`) is the module's, so `-p` and an installed
# entry point register the plugin once, whichever comes first. Warnings are errors, as in a
# strict suite; in process, pytest warns that this module imported the plugin already.
PLUGIN = ("-p", "sharemock.pytest_plugin", "-p", "no:cacheprovider", "-W", "error")


def _no_server_left() -> None:
    assert [t for t in threading.enumerate() if t.name == "sharemock"] == []


def test_a_client_suite_uses_the_mock_over_http(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_client="""
        import json
        import urllib.request

        import httpx


        def test_urllib_with_the_providers_credentials(sharemock):
            request = urllib.request.Request(
                sharemock.url_for("defdrive") + "/api/files",
                headers=sharemock.credentials("defdrive"),  # a fresh JWT for johndoe
            )
            with urllib.request.urlopen(request) as response:
                files = json.load(response)["files"]
            assert [f["id"] for f in files] == [42]
            assert sharemock.url.startswith("http://127.0.0.1:")

        def test_httpx_the_controls_and_the_journal(sharemock):
            base = sharemock.url_for("defdrive")
            with httpx.Client(base_url=base, headers=sharemock.credentials("defdrive")) as client:
                changed = client.put("/api/files/42/access", json={"public": True})
                assert changed.status_code == 200
                assert changed.json()["file"]["public"] is True

                sharemock.admin.force("defdrive", "listFiles", code=401)
                assert client.get("/api/files").status_code == 401
                assert client.get("/api/files").status_code == 200  # times=1: used up
                refused = client.get("/api/files", headers={"Authorization": "Bearer nope"})
                assert refused.status_code == 401

            newest = sharemock.requests(provider="defdrive")
            assert [e["operation"] for e in newest] == [
                "listFiles", "listFiles", "listFiles", "togglePublicAccess",
            ]
            assert newest[0]["status"] == 401 and newest[0]["reasons"]
            assert newest[2]["rule"] is not None  # the forced 401
            stored = sharemock.admin.state("defdrive")["providers"]["defdrive"]
            assert [f["public"] for f in stored["defdrive_files"] if f["id"] == 42] == [1]

        def test_every_provider_signs_in(sharemock):
            filerobot = sharemock.credentials("filerobot")
            assert filerobot == {"X-Filerobot-Key": "demo-key"}
            assert sharemock.credentials("koodrive")["Authorization"].startswith("Bearer ")
            assert "defdrive-deployed" in sharemock.providers
            answer = httpx.get(
                sharemock.url_for("filerobot") + "/demo/v5/shares", headers=filerobot
            )
            assert answer.status_code == 200
        """
    )
    # A fresh interpreter, as a client's suite runs: the plugin loaded, the mock imported
    # and started by the first test that asks.
    result = pytester.runpytest_subprocess(*PLUGIN, "--durations=1", "--durations-min=0")
    result.assert_outcomes(passed=3)
    print("\n".join(result.outlines[-4:]))


def test_each_test_gets_fresh_state(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fresh="""
        import httpx

        SEEN = {}


        def test_one_changes_everything(sharemock):
            SEEN["url"] = sharemock.url
            SEEN["state"] = sharemock.admin.state()
            base = sharemock.url_for("defdrive")
            headers = sharemock.credentials("defdrive")
            httpx.put(base + "/api/files/42/access", headers=headers, json={"public": True})
            created = httpx.post(
                base + "/api/files/42/accesses", headers=headers, json={"name": "new"}
            )
            assert created.status_code == 200, created.text
            SEEN["created"] = created.json()["access"]["id"]
            sharemock.admin.force("defdrive", code=401, times=None)
            sharemock.admin.advance("P3D")
            sharemock.admin.snapshot("left behind")
            assert sharemock.admin.state() != SEEN["state"]

        def test_two_finds_a_new_server_s_state(sharemock):
            assert sharemock.url == SEEN["url"]  # the same server, brought back
            assert sharemock.requests() == []
            assert sharemock.admin.rules() == []
            assert sharemock.admin.clock()["isReal"] is True
            assert sharemock.admin.snapshots() == []
            assert sharemock.admin.state() == SEEN["state"]
            # Generated ids go on counting (as `POST /__admin/reset` and the real server's
            # sequences do): a deleted or reset row's id is never handed out again.
            created = httpx.post(
                sharemock.url_for("defdrive") + "/api/files/42/accesses",
                headers=sharemock.credentials("defdrive"),
                json={"name": "new"},
            )
            assert created.json()["access"]["id"] > SEEN["created"]
        """
    )
    result = pytester.runpytest_subprocess(*PLUGIN)
    result.assert_outcomes(passed=2)


def test_sharemock_module_shares_one_state_per_module(pytester: pytest.Pytester) -> None:
    build_on = """
        import httpx

        URLS = {}


        def test_first_changes_the_state(sharemock_module):
            URLS["module"] = sharemock_module.url
            answer = httpx.put(
                sharemock_module.url_for("defdrive") + "/api/files/42/access",
                headers=sharemock_module.credentials("defdrive"),
                json={"public": True},
            )
            assert answer.status_code == 200

        def test_second_sees_it(sharemock_module):
            assert sharemock_module.url == URLS["module"]
            files = httpx.get(
                sharemock_module.url_for("defdrive") + "/api/files",
                headers=sharemock_module.credentials("defdrive"),
            ).json()["files"]
            assert files[0]["public"] is True

        def test_the_per_test_mock_is_another_server(sharemock, sharemock_module):
            assert sharemock.url != sharemock_module.url
            files = httpx.get(
                sharemock_module.url_for("defdrive") + "/api/files",
                headers=sharemock_module.credentials("defdrive"),
            ).json()["files"]
            assert files[0]["public"] is True  # not reset by `sharemock`
        """
    untouched = """
        import httpx


        def test_another_module_starts_from_the_fixtures(sharemock_module):
            files = httpx.get(
                sharemock_module.url_for("defdrive") + "/api/files",
                headers=sharemock_module.credentials("defdrive"),
            ).json()["files"]
            assert files[0]["public"] is False
        """
    pytester.makepyfile(test_a_builds_on=build_on, test_b_untouched=untouched)
    result = pytester.runpytest_subprocess(*PLUGIN)
    result.assert_outcomes(passed=4)


def test_no_server_starts_unless_a_test_asks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain="""
        import sys
        import threading


        def test_plain():
            assert not [t for t in threading.enumerate() if t.name == "sharemock"]
        """
    )
    result = pytester.runpytest_subprocess(*PLUGIN)
    result.assert_outcomes(passed=1)


def test_loading_the_plugin_imports_nothing_of_the_mock() -> None:
    # The entry point loads the module in every pytest run where sharemock is installed.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, sharemock.pytest_plugin\n"
            "heavy = ('sharemock.app', 'connexion', 'uvicorn')\n"
            "print(sorted(m for m in heavy if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "[]"


def test_a_server_starts_quickly_and_stops_cleanly() -> None:
    # Imports are paid once per process, by whatever imports the app first; this is the
    # server's own start-up: the app, its contracts, uvicorn listening. The best of three
    # tries, so a busy machine's one slow start does not decide.
    import uvicorn  # noqa: F401

    import sharemock.app  # noqa: F401

    took = []
    for _ in range(3):
        server = MockServer(Settings(db_path=":memory:"))
        started = time.perf_counter()
        server.start()
        took.append(time.perf_counter() - started)
        url = server.url
        server.stop()
        _no_server_left()
        with pytest.raises(OSError):  # nothing listens there any more
            urllib.request.urlopen(url + "/", timeout=2)
        if took[-1] < 1.5:
            break
    assert min(took) < 1.5, f"start-up took {', '.join(f'{t:.2f}' for t in took)} s"

"""`clearsite sources …` run as an operator would, against a feed served on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import CliRunner
from tests.samples import KYIV, package, project


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def feed_dir(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_add_pull_list_remove(cli: CliRunner, feed_dir: tuple[Path, str]) -> None:
    root, base = feed_dir
    (root / "pkg.json").write_text(json.dumps(package(project("a", *KYIV), project("b"))))
    added = cli("sources", "add", f"{base}/pkg.json", "--every", "30m", "--name", "City roads")
    assert added.returncode == 0, added.stderr
    assert "source 1 (City roads) added" in added.stdout
    pulled = cli("sources", "pull", "1")
    assert pulled.returncode == 0, pulled.stderr
    assert "source 1: created 2, updated 0, unchanged 0 (1 pages)" in pulled.stdout
    # The file server answers If-Modified-Since: the second pull writes nothing.
    assert "source 1: not modified" in cli("sources", "pull").stdout
    listed = cli("sources", "list").stdout
    assert "ok" in listed
    assert "City roads" in listed
    assert cli("sources", "remove", "1").returncode == 0
    assert "(no sources)" in cli("sources", "list").stdout


def test_bad_input_and_failed_pulls_are_clear(cli: CliRunner, feed_dir: tuple[Path, str]) -> None:
    _root, base = feed_dir
    for args in (
        ("ftp://example.org/p.json",),
        (f"{base}/p.json", "--every", "soon"),
        (f"{base}/p.json", "--every", "10s"),
    ):
        result = cli("sources", "add", *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("error: ")
    assert cli("sources", "remove", "9").returncode == 2
    assert cli("sources", "pull", "9").returncode == 2
    assert cli("sources", "add", f"{base}/missing.json").returncode == 0
    failed = cli("sources", "pull", "1")
    assert failed.returncode == 1
    assert "HTTP 404" in failed.stdout
    assert "failures in a row 1" in cli("sources", "list").stdout

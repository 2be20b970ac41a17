"""fetch_feed against a real HTTP server on 127.0.0.1 serving a fixture feed (no internet)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from threatwatch.errors import SourceError
from threatwatch.ingest import fetch_feed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


class FeedHandler(BaseHTTPRequestHandler):
    """Serves the RSS fixture at /feed.rss, junk at /junk, a redirect at /old and 404 elsewhere."""

    def do_GET(self) -> None:
        if self.path == "/feed.rss":
            self._send(200, (FIXTURES / "feed.rss").read_bytes(), "application/rss+xml")
        elif self.path == "/junk":
            self._send(200, b"<html><body>Not a feed</body></html>", "text/html")
        elif self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/feed.rss")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as http:
        yield http


def test_fetch_feed_returns_entries(base_url: str, client: httpx.Client) -> None:
    docs = fetch_feed(f"{base_url}/feed.rss", client)
    assert [doc.title for doc in docs] == ["Convoy ambushed near Stonebridge", "Checkpoint reopens"]
    assert all(doc.source == f"{base_url}/feed.rss" for doc in docs)
    assert docs[0].publisher == "Example Wire"
    assert docs[0].published == date(2023, 7, 10)
    assert "MARKER" not in docs[0].text


def test_fetch_feed_follows_redirects(base_url: str, client: httpx.Client) -> None:
    assert len(fetch_feed(f"{base_url}/old", client)) == 2


def test_fetch_feed_http_error_is_source_error(base_url: str, client: httpx.Client) -> None:
    with pytest.raises(SourceError, match="HTTP 404"):
        fetch_feed(f"{base_url}/missing.rss", client)


def test_fetch_feed_not_a_feed_is_source_error(base_url: str, client: httpx.Client) -> None:
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        fetch_feed(f"{base_url}/junk", client)


def test_fetch_feed_unreachable_is_source_error(client: httpx.Client) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError, match="Could not fetch feed"):
        fetch_feed(f"http://127.0.0.1:{port}/feed.rss", client)


def test_fetch_feed_with_mock_transport() -> None:
    body = (FIXTURES / "feed.atom").read_bytes()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with httpx.Client(transport=transport) as http:
        [doc] = fetch_feed("https://atom.example.org/feed", http)
    assert doc.publisher == "Example Atom Desk"

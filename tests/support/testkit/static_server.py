"""Serve a built site on 127.0.0.1 the way a static host does, for the browser tests and benchmark.

A missing path answers the site's own 404.html with status 404 (as GitHub Pages, Netlify and
nginx's ``error_page`` do); a directory answers its index.html. With ``gzip=True`` text files
are sent gzip-compressed (level 6, like nginx's ``gzip on``) to clients that accept it, so a
page weight or a Lighthouse run measures what a real host would send.
"""

from __future__ import annotations

import gzip
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
GZIP_LEVEL = 6
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler, plus a 404 page, optional gzip and a quiet log."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real hosts
    extensions_map = {  # noqa: RUF012 - the stdlib's own class attribute, extended
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".json": "application/json",
        ".xml": "application/xml",
        ".svg": "image/svg+xml",
        ".xsl": "application/xml",
    }

    def __init__(self, *args, directory: str, compress: bool, **kwargs) -> None:
        self.compress = compress
        super().__init__(*args, directory=directory, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Requests are recorded by the browser tests themselves; keep pytest's output clean."""

    def do_GET(self) -> None:
        self.send_file(head=False)

    def do_HEAD(self) -> None:
        self.send_file(head=True)

    def resolve(self) -> Path | None:
        """The file a request maps to, or None when the host would answer 404."""
        root = Path(self.directory).resolve()
        path = (root / unquote(urlsplit(self.path).path).lstrip("/")).resolve()
        if not path.is_relative_to(root):
            return None
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return path  # redirected to the slash form below
            path = path / "index.html"
        return path if path.is_file() else None

    def send_file(self, *, head: bool) -> None:
        path = self.resolve()
        if path is not None and path.is_dir():
            self.send_response(301)
            split = urlsplit(self.path)
            query = f"?{split.query}" if split.query else ""
            self.send_header("Location", f"{split.path}/{query}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if path is None:
            status, path = 404, Path(self.directory) / "404.html"
        body = path.read_bytes() if path.is_file() else b"Not found\n"
        content_type = self.guess_type(str(path))
        if content_type.startswith("text/") or content_type.endswith(("xml", "json")):
            content_type += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        if self.compress and content_type.startswith(COMPRESSIBLE):
            self.send_header("Vary", "Accept-Encoding")
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
                self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser closing a kept-alive connection (Lighthouse does, between runs) is no error."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exception(), ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Server:
    root: Path
    url: str  # http://127.0.0.1:<port>/


@contextmanager
def serve(root: Path, *, compress: bool = False) -> Iterator[Server]:
    """Serve ``root`` on a free port of 127.0.0.1 from a thread, for the ``with`` block."""
    handler = partial(SiteHandler, directory=str(root), compress=compress)
    httpd = QuietServer((HOST, 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="static-site", daemon=True)
    thread.start()
    try:
        yield Server(root, f"http://{HOST}:{httpd.server_address[1]}/")
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)

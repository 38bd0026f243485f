"""PDF reports rendered from the same templates and print stylesheet as the pages.

A report is an HTML template laid out by WeasyPrint with `static/css/print.css` (the stylesheet a
browser uses for "Print" too). WeasyPrint fetches every stylesheet, image and font a document
names; here it may read only this site's static files and inline `data:` URLs. Any other address
(another host, a `file://` path outside the static folders, `ftp:`…) is refused without a network
call: that rules out server-side request forgery through user text in a report, and a report that
hangs waiting for a remote image. A refused image is simply left out (WeasyPrint logs a warning).

WeasyPrint is imported inside the functions, so that web workers which never print stay small.
"""

from __future__ import annotations

import functools
import mimetypes
import os
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.urls import URLFetcherResponse

DEFAULT_PORTS = {"http": 80, "https": 443}
UNSAFE_FILENAME_CHARS = re.compile(r'[\x00-\x1f\x7f/\\"]+')


class RefusedURL(ValueError):
    """A report named a resource outside this site's static files.

    A plain `Exception` subclass on purpose: WeasyPrint catches it, logs a warning and leaves the
    image or stylesheet out, instead of failing the whole report.
    """


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """Render a template to PDF bytes.

    `request` is passed to the template (context processors, the active language); links in the
    PDF are made absolute against `SITE_URL`, so a printed report's links point at the site.
    """
    return html_to_pdf(render_to_string(template_name, context, request=request))


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML document and return the PDF bytes (tagged, so screen readers can read it)."""
    return pdf_document(html).write_pdf(pdf_tags=True)


def pdf_document(html: str) -> Document:
    """Lay out an HTML document without writing it: its `pages` and bookmarks can be inspected,
    and `write_pdf()` turns it into bytes."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=_base_url(), url_fetcher=_weasyprint_fetcher()).render()


def pdf_response(pdf_bytes: bytes, filename: str) -> HttpResponse:
    """A PDF download: always an attachment (never shown inline by the browser), never sniffed.

    `filename` may contain any language's letters (sent as RFC 6266 `filename*`); slashes, quotes
    and control characters are replaced, and `.pdf` is added when missing.
    """
    name = UNSAFE_FILENAME_CHARS.sub("-", filename).strip(" .-") or "report"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["Content-Length"] = str(len(pdf_bytes))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def local_only_fetcher(url: str) -> URLFetcherResponse:
    """Fetch a resource for WeasyPrint from this site's static files or a `data:` URL, or refuse.

    Accepted: `data:` URLs; URLs under STATIC_URL on SITE_URL's host (or on STATIC_URL's own host
    when it is absolute), found by the staticfiles finders (so development needs no
    collectstatic) or else in STATIC_ROOT (hashed names of the manifest storage); `file://` paths
    inside STATIC_ROOT or STATICFILES_DIRS. Everything else raises `RefusedURL`.
    """
    from weasyprint.urls import URLFetcherResponse

    scheme = urlsplit(url).scheme.lower()
    if scheme == "data":
        response = DataHandler().data_open(Request(url))  # noqa: S310 - a data: URL, never a network one
        return URLFetcherResponse(url, body=response.read(), headers=dict(response.headers))
    path = static_file_for_url(url)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def static_file_for_url(url: str) -> Path:
    """The local static file an absolute URL points to; `RefusedURL` when it is not one."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in DEFAULT_PORTS:
        name = _static_name(parts)
        found = finders.find(name)
        if found:
            return Path(found)
        if settings.STATIC_ROOT:
            try:
                candidate = Path(safe_join(settings.STATIC_ROOT, name))
            except SuspiciousFileOperation:
                candidate = None
            if candidate is not None and candidate.is_file():
                return candidate
        raise RefusedURL(f"no static file {name!r}")
    if scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
        if path.is_file() and any(path.is_relative_to(root) for root in _static_roots()):
            return path
        raise RefusedURL(f"file outside the static folders: {url}")
    raise RefusedURL(f"only this site's static files may be fetched: {url}")


def _static_name(parts) -> str:
    """The static file name in an http(s) URL of this site's STATIC_URL, checked for `..`."""
    static = urlsplit(settings.STATIC_URL)
    allowed = {_origin(urlsplit(settings.SITE_URL))}
    if static.netloc:  # static files served from their own host; "//cdn/…" takes the page's scheme
        allowed.add(_origin(static._replace(scheme=static.scheme or parts.scheme)))
    if _origin(parts) not in allowed:
        raise RefusedURL(f"another host: {parts.geturl()}")
    prefix = static.path if static.path.endswith("/") else static.path + "/"
    path = unquote(parts.path)
    if not path.startswith(prefix):
        raise RefusedURL(f"not under {prefix}: {parts.geturl()}")
    name = posixpath.normpath(path[len(prefix) :])
    if name.startswith(("..", "/")) or name == "." or "\\" in name or "\x00" in name:
        raise RefusedURL(f"not a static file name: {parts.geturl()}")
    return name


def _origin(parts) -> tuple[str, str, int | None]:
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number
        return ("", "", None)
    return (scheme, (parts.hostname or "").lower(), port)


def _static_roots() -> list[Path]:
    """Folders whose files a `file://` URL may name: STATIC_ROOT and STATICFILES_DIRS."""
    roots = [settings.STATIC_ROOT] if settings.STATIC_ROOT else []
    for entry in settings.STATICFILES_DIRS:
        roots.append(entry[1] if isinstance(entry, (tuple, list)) else entry)
    return [Path(os.path.realpath(root)) for root in roots]


def _base_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/"


@functools.cache
def _weasyprint_fetcher():
    """WeasyPrint's fetcher object wrapping `local_only_fetcher`.

    WeasyPrint 70 expects an instance of its `URLFetcher` (it reads the instance's settings when a
    fetch fails); only `fetch` is replaced, so urllib's HTTP handlers set up by the base class are
    never used. Built on first use so that importing this module does not import WeasyPrint.
    """
    from weasyprint.urls import URLFetcher

    class LocalOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return local_only_fetcher(url)

    return LocalOnlyURLFetcher(allowed_protocols=("data", "http", "https", "file"), allow_redirects=False)

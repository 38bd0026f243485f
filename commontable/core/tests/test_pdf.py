"""PDF reports: real WeasyPrint renders, with no network and only this site's static files.

pypdf is not a dependency, so the text is read back with a small decoder of what WeasyPrint writes
(Flate streams, ToUnicode maps, hex glyph strings); page sizes and counts come from WeasyPrint's
own laid-out document.
"""

from __future__ import annotations

import re
import socket
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string

from commontable.core import pdf
from commontable.core.pdf import (
    RefusedURL,
    html_to_pdf,
    local_only_fetcher,
    pdf_document,
    pdf_response,
    render_pdf,
)

SITE = "https://table.example.org"
PRINT_CSS = Path(django_settings.BASE_DIR) / "commontable" / "static" / "css" / "print.css"
LETTER = (816, 1056)  # CSS pixels: 8.5 × 11 in at 96 px/in
TEMPLATES_FOR_TESTS = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_FOR_TESTS]}
    ]


@pytest.fixture
def fetches(monkeypatch):
    """Every URL WeasyPrint asked for, with "ok" or the refusal."""
    seen: list[tuple[str, str]] = []
    real = pdf.local_only_fetcher

    def spy(url):
        try:
            response = real(url)
        except RefusedURL as exc:
            seen.append((url, f"refused: {exc}"))
            raise
        seen.append((url, "ok"))
        return response

    monkeypatch.setattr(pdf, "local_only_fetcher", spy)
    return seen


@pytest.fixture
def no_network(monkeypatch):
    """Records (instead of making) any socket connection or DNS lookup."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def streams_of(data: bytes) -> list[bytes]:
    """Every stream in a PDF, inflated when it is Flate-compressed."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return out


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by WeasyPrint, one line per text-showing operator.

    Glyph numbers are mapped back to characters with the fonts' ToUnicode maps, merged: enough for
    these documents, where the regular and bold DejaVu faces number their glyphs alike.
    """
    streams = streams_of(data)
    to_unicode: dict[str, str] = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for glyph, chars in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                to_unicode[glyph.decode().lower()] = bytes.fromhex(chars.decode()).decode("utf-16-be")
    lines = []
    for stream in streams:
        for array, single in re.findall(rb"\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj", stream):
            hexes = (
                [h.decode().lower() for h in re.findall(rb"<([0-9a-fA-F]+)>", array)]
                if array
                else [single.decode()]
            )
            lines.append(
                "".join(to_unicode.get(h[i : i + 4], "\ufffd") for h in hexes for i in range(0, len(h), 4))
            )
    return "\n".join(lines)


def sample_html(**context) -> str:
    context.setdefault("lang", "en")
    context.setdefault("title", "Plan report")
    return render_to_string("core_tests/pdf_sample.html", context)


# --- rendering ----------------------------------------------------------------------------------


def test_render_pdf_returns_a_pdf_with_the_template_text():
    data = render_pdf(
        "core_tests/pdf_sample.html", {"lang": "en", "title": "Board report", "lines": ["Housing first"]}
    )
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    text = pdf_text(data)
    assert "Board report" in text
    assert "Housing first" in text


def test_render_pdf_passes_the_request_and_links_point_at_the_site(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/plans/2026/")
    request.user = AnonymousUser()
    data = render_pdf("core_tests/pdf_sample.html", {"lang": "en", "title": "Plan"}, request=request)
    assert "/plans/2026/" in pdf_text(data)
    assert f"({SITE}/plans/2026/)".encode() in b"".join(streams_of(data)) + data  # the link annotation


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("es", "Año de niñez: acción pública"),
        ("so", "Soomaali: Guddiga bulshada ee magaalada"),
        ("hmn", "Hmoob: Peb lub zej zog"),
        ("en", "Señora Müller’s café — naïve"),
    ],
)
def test_spanish_somali_and_hmong_text_is_drawn_with_real_glyphs(lang, phrase):
    data = html_to_pdf(sample_html(lang=lang, title=phrase, lines=[phrase]))
    text = pdf_text(data)
    assert phrase in text
    assert "\ufffd" not in text  # every glyph maps back to a character: no missing-glyph boxes
    assert b"DejaVu" in b"".join(streams_of(data)) + data  # the font embedded is DejaVu


def test_print_css_is_read_from_static_files_and_sets_letter_pages(fetches, no_network):
    document = pdf_document(sample_html(lines=["one"]))
    assert (f"{SITE}/static/css/print.css", "ok") in fetches
    assert (round(document.pages[0].width), round(document.pages[0].height)) == LETTER
    assert no_network == []


def test_without_print_css_the_page_is_not_letter():
    """The check above means something: WeasyPrint's own default page is A4."""
    document = pdf_document('<html lang="en"><p>one</p></html>')
    assert (round(document.pages[0].width), round(document.pages[0].height)) != LETTER


def test_remote_image_and_stylesheet_are_refused_without_touching_the_network(fetches, no_network):
    html = (
        '<html lang="en"><link rel="stylesheet" href="https://evil.example/x.css">'
        '<p>Before</p><img src="http://example.invalid/x.png" alt="remote"><p>After</p></html>'
    )
    data = html_to_pdf(html)
    assert data.startswith(b"%PDF-")
    refused = {url for url, outcome in fetches if outcome.startswith("refused")}
    assert refused == {"https://evil.example/x.css", "http://example.invalid/x.png"}
    assert no_network == []
    assert "After" in pdf_text(data)


def test_long_table_repeats_its_header_and_pages_are_numbered():
    document = pdf_document(sample_html(rows=[(f"Objective {i}", i) for i in range(150)]))
    total = len(document.pages)
    assert total >= 3
    lines = pdf_text(document.write_pdf()).splitlines()
    assert lines.count("Objective") == total  # the header cell, once on every page
    assert [line for line in lines if " / " in line] == [f"{page} / {total}" for page in range(1, total + 1)]


# --- the fetcher --------------------------------------------------------------------------------


def test_static_url_of_this_site_is_served_from_the_static_folder():
    response = local_only_fetcher(f"{SITE}/static/css/print.css")
    assert response.read() == PRINT_CSS.read_bytes()
    assert response.content_type == "text/css"


def test_host_case_default_port_query_and_fragment_do_not_matter():
    response = local_only_fetcher("https://TABLE.example.org:443/static/css/print.css?v=2#top")
    assert response.read() == PRINT_CSS.read_bytes()


def test_data_urls_are_fine():
    response = local_only_fetcher("data:text/plain;base64,aG9sYQ==")
    assert response.read() == b"hola"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.invalid/x.png",
        "https://evil.example/static/css/print.css",
        "https://table.example.org.evil.example/static/css/print.css",
        "http://table.example.org/static/css/print.css",  # another scheme is another origin
        "https://table.example.org:8443/static/css/print.css",
        "https://table.example.org:notaport/static/css/print.css",
        "https://table.example.org/media/upload.png",
        "https://table.example.org/static/css/missing.css",
        "https://table.example.org/static/",
        "https://table.example.org/static/../config/settings.py",
        "https://table.example.org/static/%2e%2e/%2e%2e/config/settings.py",
        "https://table.example.org/static/..%2f..%2fconfig/settings.py",
        "https://table.example.org/static/css%5c..%5c..%5csettings.py",
        "file:///etc/passwd",
        f"file://{PRINT_CSS.parent.parent.parent.parent / 'config' / 'settings.py'}",
        "ftp://table.example.org/static/css/print.css",
        "gopher://table.example.org/static/css/print.css",
        "javascript:alert(1)",
    ],
)
def test_everything_else_is_refused(url, no_network):
    with pytest.raises(RefusedURL):
        local_only_fetcher(url)
    assert no_network == []


def test_collected_files_are_found_in_static_root(settings, tmp_path):
    """The manifest storage serves hashed names that only exist in STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_text("@page { size: Letter }")
    response = local_only_fetcher(f"{SITE}/static/css/print.0123abcd.css")
    assert response.read() == b"@page { size: Letter }"


def test_file_urls_inside_the_static_folders_are_fine(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert local_only_fetcher((tmp_path / "logo.svg").as_uri()).content_type == "image/svg+xml"
    assert local_only_fetcher(PRINT_CSS.as_uri()).read() == PRINT_CSS.read_bytes()


def test_symlink_out_of_static_root_is_refused_for_file_urls(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "escape.txt").symlink_to("/etc/hostname")
    with pytest.raises(RefusedURL):
        local_only_fetcher((tmp_path / "escape.txt").as_uri())


def test_static_files_on_their_own_host(settings):
    settings.STATIC_URL = "https://cdn.example.org/assets/"
    assert local_only_fetcher("https://cdn.example.org/assets/css/print.css").read() == PRINT_CSS.read_bytes()
    with pytest.raises(RefusedURL):
        local_only_fetcher("https://cdn.example.org/other/css/print.css")


def test_weasyprint_is_imported_lazily():
    """Importing the module must not import WeasyPrint (web workers that never print stay small)."""
    import subprocess
    import sys

    code = "import commontable.core.pdf, sys; print('weasyprint' in sys.modules)"
    env = {"DJANGO_SETTINGS_MODULE": "config.test_settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=django_settings.BASE_DIR,
        check=True,
    )
    assert result.stdout.strip() == "False"


# --- the response -------------------------------------------------------------------------------


def test_pdf_response_is_an_attachment_that_is_never_sniffed():
    response = pdf_response(b"%PDF-1.7 test", "board-report-2026")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="board-report-2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(b"%PDF-1.7 test"))
    assert response.content == b"%PDF-1.7 test"


def test_pdf_response_keeps_non_ascii_names_per_rfc_6266():
    response = pdf_response(b"%PDF", "Informe del año – Soomaali.pdf")
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename*=utf-8''")
    assert "Informe%20del%20a%C3%B1o%20%E2%80%93%20Soomaali.pdf" in header


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('../../etc/"passwd"', 'attachment; filename="etc-passwd.pdf"'),
        ("report\r\nSet-Cookie: x=1", 'attachment; filename="report-Set-Cookie: x=1.pdf"'),
        ("", 'attachment; filename="report.pdf"'),
        ("Plan.PDF", 'attachment; filename="Plan.PDF"'),
    ],
)
def test_pdf_response_filename_cannot_break_the_header(name, expected):
    assert pdf_response(b"%PDF", name)["Content-Disposition"] == expected

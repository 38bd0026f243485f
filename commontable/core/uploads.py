"""The upload pipeline: sniff the real type from the bytes (never trust the name or the browser),
enforce size limits, and serve stored files safely."""

from __future__ import annotations

import zipfile
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SIGNATURES: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!", "RAR"),
    (b"MZ", "Windows program"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "old Microsoft Office"),
    (b"RIFF", "RIFF media"),
]


def sniff_kind(data: bytes) -> str:
    """'xlsx', 'zip', 'text', or a human name of another kind of file (PNG, PDF, …)."""
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "damaged zip"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"\x00\x00\x01\x00":
        return "icon"
    sample = data[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if b"\x00" in sample:
        # Text files have no NUL bytes; the CSV reader names the row if the rest looks like text.
        printable = sum(32 <= b < 127 or b in (9, 10, 13) or b >= 128 for b in sample)
        return "text" if printable / max(len(sample), 1) > 0.95 else "binary"
    lowered = sample.lstrip().lower()
    if lowered.startswith((b"<svg", b"<?xml", b"<!doctype html", b"<html")):
        return "HTML or SVG"
    return "text"


def check_upload_size(uploaded) -> None:
    limit = settings.COMMONTABLE_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(uploaded.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="too_large",
        )

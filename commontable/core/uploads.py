"""The upload pipeline: sniff the real type from the bytes (never trust the name or the browser),
enforce size limits and an allow-list, strip photo metadata (after applying the EXIF rotation, so
the photo stays upright), and serve stored files safely: as attachments with `nosniff`, raster
images only inline, SVG and HTML never inline, and only to people who may see the owning record."""

from __future__ import annotations

import hashlib
import io
import zipfile

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

CONTENT_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "PDF": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain; charset=utf-8",
}
# What may be uploaded as evidence or a photo; anything else is refused with its real name.
ALLOWED_KINDS = frozenset(CONTENT_TYPES)
INLINE_KINDS = frozenset({"PNG", "JPEG", "GIF"})
PHOTO_KINDS = frozenset({"PNG", "JPEG"})


def sniff_kind(data: bytes) -> str:
    """'xlsx', 'docx', 'zip', 'text', or a human name of another kind of file (PNG, PDF, …)."""
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "damaged zip"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
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
    # A page or a drawing starts as one (after a byte-order mark and blank space); a spreadsheet's
    # text that mentions "<script>" in a cell further on is still a spreadsheet.
    lowered = sample.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if lowered.startswith((b"<svg", b"<?xml", b"<!doctype html", b"<html", b"<head", b"<body", b"<script",
                           b"<iframe", b"<!--")):
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


def strip_photo_metadata(data: bytes, kind: str) -> bytes:
    """Re-encode a photo without EXIF/GPS metadata, after turning it upright."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "JPEG":
                upright.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
            else:
                clean = Image.new(upright.mode, upright.size)
                clean.paste(upright)
                clean.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The image could not be read; it may be damaged."), code="bad_image") from exc


def prepare_upload(uploaded) -> tuple[bytes, str]:
    """Check an uploaded file and return its (cleaned) bytes and real kind, or raise a
    ValidationError that names what is wrong."""
    check_upload_size(uploaded)
    data = uploaded.read()
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff_kind(data)
    if kind not in ALLOWED_KINDS:
        raise ValidationError(
            _("“%(name)s” is a %(kind)s file, which cannot be uploaded here.") % {"name": uploaded.name, "kind": kind},
            code="kind",
        )
    if kind in PHOTO_KINDS:
        data = strip_photo_metadata(data, kind)
    return data, kind


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

"""Getting the bytes of an upload, a path or a file object, within a size limit (shared by the readers)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from .errors import Problem, SourceError

MB = 1024 * 1024

Source = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO


def _too_big(name: str, size: int, max_bytes: int) -> SourceError:
    return SourceError([Problem(
        _("The file is %(size)s MB, more than the %(limit)s MB this import accepts. Split it by state or "
          "by table, or ask an administrator to raise the limit.")
        % {"size": f"{size / MB:.1f}", "limit": f"{max_bytes / MB:.0f}"},
        file=name,
    )])


def read_source(source: Source, *, name: str | None, max_bytes: int) -> tuple[bytes, str]:
    """Return (bytes, file name) of a path, bytes or an open binary file, refusing more than max_bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name or _("uploaded file")
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
        except OSError:
            raise SourceError([Problem(_("The file could not be found or opened."), file=name)]) from None
        if size > max_bytes:
            raise _too_big(name, size, max_bytes)
        data = path.read_bytes()
    else:
        name = name or os.path.basename(str(getattr(source, "name", "") or "")) or _("uploaded file")
        data = source.read(max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise _too_big(name, len(data), max_bytes)
    if not data or data.isspace():
        raise SourceError([Problem(_("The file is empty."), file=name)])
    return data, name


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def open_zip(data: bytes, *, name: str, max_bytes: int) -> zipfile.ZipFile:
    """Open ZIP bytes, refusing a broken archive or one that unpacks to more than max_bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SourceError([Problem(_("The file looks like a ZIP archive but cannot be opened; it may be "
                                     "damaged or incomplete. Download it again."), file=name)]) from None
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max_bytes:
        raise _too_big(name, unpacked, max_bytes)
    return archive

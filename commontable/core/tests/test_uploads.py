import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commontable.core.uploads import prepare_upload, sniff_kind


def _jpeg_with_gps_and_rotation() -> bytes:
    image = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (44.0, 57.0, 0.0)}  # GPS IFD
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_metadata_is_stripped_after_turning_it_upright():
    data, kind = prepare_upload(SimpleUploadedFile("photo.jpg", _jpeg_with_gps_and_rotation()))
    assert kind == "JPEG"
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (20, 40)  # rotated
        assert not image.getexif()


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("evil.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG"),
        ("report.pdf", b"%PDF-1.7\n...", "PDF"),
        ("page.txt", b"<!DOCTYPE html><script>alert(1)</script>", "HTML or SVG"),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "HTML or SVG"),
        ("data.csv", "name,email\nJosé,j@example.org\n".encode(), "text"),
        ("bodies.csv", b"slug,description\nx,A <script> tag is not allowed here\n", "text"),
        ("page.csv", b"\xef\xbb\xbf  <script>alert(1)</script>", "HTML or SVG"),
        ("tool.exe", b"MZ\x90\x00", "Windows program"),
    ],
)
def test_the_real_type_comes_from_the_bytes(name, data, kind):
    assert sniff_kind(data) == kind


@pytest.mark.parametrize("data", [b"<svg onload='x()'/>", b"<html><body>hi</body></html>", b"MZ\x90\x00\x03"])
def test_svg_html_and_programs_are_refused(data):
    with pytest.raises(ValidationError):
        prepare_upload(SimpleUploadedFile("innocent.png", data))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        prepare_upload(SimpleUploadedFile("empty.pdf", b""))


def test_oversized_file_is_refused(settings):
    settings.COMMONTABLE_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as info:
        prepare_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 100))
    assert info.value.code == "too_large"


def test_a_damaged_image_is_refused():
    with pytest.raises(ValidationError):
        prepare_upload(SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 10))

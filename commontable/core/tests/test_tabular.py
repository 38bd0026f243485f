"""The tabular reader against the files people actually send: BOMs, Windows-1252, semicolons,
broken headers, NUL bytes, overlong cells, images renamed .csv, empty and damaged files."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from commontable.core import tabular
from commontable.core.tabular import TabularError, list_sheets, read_table


@pytest.fixture(autouse=True)
def in_english():
    """Messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def xlsx_bytes(*sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def messages_of(data: bytes, filename: str = "people.csv") -> list[str]:
    with pytest.raises(TabularError) as caught:
        read_table(data, filename)
    return caught.value.messages


def test_plain_utf8_csv_reads_rows_with_spreadsheet_row_numbers():
    table = read_table(b"name,email\nAna,ana@example.org\n\nBao,bao@example.org\n", "x.csv")
    assert table.headers == ["name", "email"]
    # The blank line is row 3, as a spreadsheet program shows it.
    assert table.rows == [
        (2, {"name": "Ana", "email": "ana@example.org"}),
        (4, {"name": "Bao", "email": "bao@example.org"}),
    ]
    assert table.notices == []


def test_utf8_bom_is_dropped_from_the_first_header():
    table = read_table("\ufeffnombre,correo\nJosé,jose@example.org\n".encode(), "x.csv")
    assert table.headers == ["nombre", "correo"]
    assert table.rows[0][1]["nombre"] == "José"


def test_windows_1252_is_read_with_a_notice():
    table = read_table("name\nJosé Peña\n".encode("cp1252"), "x.csv")
    assert table.rows[0][1]["name"] == "José Peña"
    assert any("Windows-1252" in n for n in table.notices)


def test_utf8_with_one_broken_byte_is_refused_with_its_row_rather_than_garbled():
    data = "name\nJosé\nPeña\n".encode() + b"Bad \xff name\n"
    messages = messages_of(data)
    assert len(messages) == 1 and "Row 4" in messages[0] and "UTF-8" in messages[0]


def test_utf16_with_and_without_bom():
    text = "name;email\nNguyễn;n@example.org\n"
    for data in (text.encode("utf-16"), text.encode("utf-16-le")):
        table = read_table(data, "x.csv")
        assert table.rows[0][1] == {"name": "Nguyễn", "email": "n@example.org"}


def test_semicolon_and_tab_delimiters_are_detected_and_announced():
    table = read_table(b'name;languages\nAna;"es, en"\n', "x.csv")
    assert table.rows[0][1] == {"name": "Ana", "languages": "es, en"}
    assert any("“;”" in n for n in table.notices)
    table = read_table(b"name\temail\nAna\ta@example.org\n", "x.tsv")
    assert table.rows[0][1]["email"] == "a@example.org"


def test_delimiter_inside_quoted_header_does_not_fool_the_sniffer():
    table = read_table(b'"name, full";email\nAna;a@example.org\n', "x.csv")
    assert table.headers == ["name, full", "email"]


def test_excel_sep_line_sets_the_delimiter_and_shifts_row_numbers():
    table = read_table(b"sep=;\nname;email\nAna;a@example.org\n", "x.csv")
    assert table.headers == ["name", "email"]
    assert table.rows == [(3, {"name": "Ana", "email": "a@example.org"})]


def test_a_quoted_cell_spanning_lines_is_one_row():
    table = read_table(b'name,address\nAna,"1 Main St\nApt 2"\nBao,x\n', "x.csv")
    assert [n for n, _row in table.rows] == [2, 3]


def test_empty_header_name_is_named_by_column_number():
    messages = messages_of(b"name,,email\nAna,x,a@example.org\n")
    assert messages == ["Row 1: column 2 has no name."]


def test_trailing_empty_header_cells_are_ignored():
    table = read_table(b"name,email,,\nAna,a@example.org,,\n", "x.csv")
    assert table.headers == ["name", "email"]


def test_duplicate_headers_are_refused_case_insensitively():
    messages = messages_of(b"Email,name,email\n")
    assert messages == ["Row 1: the column “email” appears twice."]


def test_header_row_of_nothing_is_refused():
    assert messages_of(b",,\nAna,,\n") == ["Row 1 must hold the column names; it is empty."]


def test_nul_bytes_are_refused_naming_each_row():
    messages = messages_of(b"name\nAna\nB\x00b\nC\x00\n" + b"Someone Else\n" * 40)
    assert messages == [
        "Row 3 contains a NUL byte: this does not look like a text file.",
        "Row 4 contains a NUL byte: this does not look like a text file.",
    ]


def test_random_binary_is_not_mistaken_for_text_with_nul_bytes():
    import random

    rng = random.Random(4)
    with_nuls = bytes(rng.randrange(256) for _ in range(5000)) + b"\x00" * 40
    assert "binary" in messages_of(with_nuls)[0]
    without_nuls = bytes(rng.randrange(1, 256) for _ in range(5000))
    assert messages_of(without_nuls) == [
        "This does not look like a text (CSV) file. Upload a CSV or XLSX spreadsheet."
    ]


def test_overlong_cell_is_refused_with_row_and_column():
    data = b"name,notes\nAna," + b"x" * (tabular.MAX_CELL + 1) + b"\n"
    assert messages_of(data) == [
        f"Row 2, column “notes”: the cell is longer than {tabular.MAX_CELL} characters."
    ]


def test_control_characters_are_refused_with_row_and_column():
    assert messages_of(b"name\nAna\x07\n") == [
        "Row 2, column “name”: the cell contains control characters (such as NUL)."
    ]


def test_extra_cells_beyond_the_header_are_refused_for_every_row():
    messages = messages_of(b"name,email\nAna,a@x.org,extra\nBao,b@x.org\nCy,c@x.org,more,still\n")
    assert [m.split(" has")[0] for m in messages] == ["Row 2", "Row 4"]


def test_many_problems_are_capped_with_a_count_of_the_rest():
    data = b"name\n" + b"Someone Else\x07\n" * (tabular.MAX_MESSAGES + 7)
    messages = messages_of(data)
    assert len(messages) == tabular.MAX_MESSAGES + 1
    assert "7 more" in messages[-1]


def test_png_renamed_csv_is_refused_by_its_real_type():
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert messages_of(data, "people.csv") == [
        "“people.csv” is a PNG image file, not a CSV or XLSX spreadsheet."
    ]


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_files_are_refused(data):
    assert messages_of(data) == ["The file is empty."]


def test_damaged_xlsx_is_refused():
    good = xlsx_bytes(("People", [["name"], ["Ana"]]))
    messages = messages_of(good[: len(good) // 2], "people.xlsx")
    assert len(messages) == 1 and "damaged" in messages[0]


def test_xlsx_with_a_corrupt_part_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<nonsense")
        archive.writestr("xl/workbook.xml", "<also nonsense")
    messages = messages_of(buffer.getvalue(), "people.xlsx")
    assert len(messages) == 1 and "damaged" in messages[0]


def test_old_xls_is_refused_with_advice():
    messages = messages_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "people.xls")
    assert ".xlsx or CSV" in messages[0]


def test_xlsx_keeps_types_and_turns_whole_floats_into_integers():
    data = xlsx_bytes(
        (
            "People",
            [
                ["name", "born", "phone", "rep"],
                ["Ana", dt.date(1990, 5, 1), 6125550100.0, True],
                [None, None],
                ["Bao"],
            ],
        )
    )
    table = read_table(data, "people.xlsx")
    assert table.sheet == "People"
    assert table.rows[0] == (
        2,
        {"name": "Ana", "born": dt.datetime(1990, 5, 1), "phone": 6125550100, "rep": True},
    )
    assert table.rows[1] == (4, {"name": "Bao", "born": "", "phone": "", "rep": ""})


def test_xlsx_with_a_wrong_size_in_the_file_loses_no_rows():
    data = xlsx_bytes(("People", [["name"], ["Ana"], ["Bao"], ["Cy"]]))
    source, out = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:A4" />' in content
                content = content.replace(b'<dimension ref="A1:A4" />', b'<dimension ref="A1" />')
            zout.writestr(item, content)
    table = read_table(out.getvalue(), "people.xlsx")
    assert [row["name"] for _n, row in table.rows] == ["Ana", "Bao", "Cy"]


def test_xlsx_other_sheets_are_listed_and_readable_by_name():
    data = xlsx_bytes(("Organizations", [["name"], ["Org A"]]), ("People", [["full_name"], ["Ana"]]))
    assert list_sheets(data) == ["Organizations", "People"]
    first = read_table(data, "x.xlsx")
    assert first.headers == ["name"] and any("Organizations" in n for n in first.notices)
    people = read_table(data, "x.xlsx", sheet="People")
    assert people.rows == [(2, {"full_name": "Ana"})]
    assert list_sheets(b"name\nAna\n") == []


def test_xlsx_control_characters_and_duplicate_headers_are_refused():
    assert messages_of(xlsx_bytes(("S", [["name", "Name"]])), "x.xlsx") == [
        "Row 1: the column “Name” appears twice."
    ]


def test_xlsx_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_XLSX_UNPACKED", 1000)
    messages = messages_of(xlsx_bytes(("S", [["name"]] + [["x" * 50]] * 50)), "x.xlsx")
    assert "too large" in messages[0]


def test_an_xlsx_made_to_swell_is_refused_before_it_is_read(monkeypatch):
    """Millions of tiny shared strings pack hundreds of times smaller than they read: refused
    from the zip's directory, before the reader builds them (gigabytes, minutes)."""
    monkeypatch.setattr(tabular, "RATIO_CHECKED_ABOVE", 10_000)
    ordinary = xlsx_bytes(("S", [["name"]] + [[f"Person {i}"] for i in range(200)]))
    assert read_table(ordinary, "ok.xlsx").rows  # an ordinary workbook still reads
    swollen = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ordinary)) as source, zipfile.ZipFile(swollen, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>a</t></si>" * 200_000 + b"</sst>")
    assert "too large" in messages_of(swollen.getvalue(), "swollen.xlsx")[0]


def test_formulas_whose_results_the_file_does_not_keep_are_named():
    """A script's workbook keeps formulas without results: read as blank, and said so."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "constituency"])
    sheet.append(["Ward seat", '=CONCATENATE("Ward ","3")'])
    sheet.append(["Renter seat", "A renter"])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl keeps no results
    table = read_table(buffer.getvalue(), "seats.xlsx")
    assert table.rows[0][1]["constituency"] in ("", None)
    assert any("1 cell holds a formula whose result the file does not keep" in n for n in table.notices)
    assert not any("formula" in n for n in read_table(xlsx_bytes(("S", [["name"], ["x"]])), "ok.xlsx").notices)


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 2)
    assert "more than 2 rows" in messages_of(b"name\na\nb\nc\n")[0]


def test_messages_go_through_gettext_when_raised(monkeypatch):
    # Messages are translated when the file is read (in the reader's language), not at import time.
    monkeypatch.setattr(tabular, "_", lambda text: "[es] " + text)
    assert messages_of(b"name,,email\n") == ["[es] Row 1: column 2 has no name."]


def test_xlsx_with_an_empty_sheet_is_refused_as_empty():
    assert messages_of(xlsx_bytes(("People", [])), "people.xlsx") == ["The file is empty."]

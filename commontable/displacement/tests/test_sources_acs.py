"""ACS readers (spec §8 item 1): Census Data API JSON and data.census.gov exports, and what they refuse."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from commontable.displacement.sources.acs import (
    SENTINELS,
    geography_year_for,
    merge_tables,
    read_acs_file,
    read_api_json,
    read_census_csv,
    read_variables_json,
    year_from_name,
)
from commontable.displacement.sources.errors import SourceError

DATA = Path(__file__).parent / "data"
CSV_2022 = DATA / "ACSDT5Y2022.B19013-Data.csv"
CSV_2019 = DATA / "ACSDT5Y2019.B19013_data_with_overlays_2021-10-12T153000.csv"
API = DATA / "census_api" / "acs5_2022_st27_B19013_B25064.json"
API_GROUP = DATA / "census_api" / "acs5_2022_st27_group_B19001.json"


def messages(exc: pytest.ExceptionInfo) -> str:
    return "\n".join(str(p) for p in exc.value.problems)


def api_rows(header, *rows) -> bytes:
    return json.dumps([header, *rows]).encode()


# --- Census Data API ---------------------------------------------------------------------------------


def test_api_json_builds_geoids_from_the_appended_geography_columns():
    table = read_api_json(API, year=2022)
    assert table.geoids.tolist() == ["27053000101", "27053000102", "27053000200", "27123030100",
                                     "27123030200", "27123030300"]
    assert table.year == 2022 and table.geography_year == 2020
    assert table.estimates["B19013_001"][0] == 61250.0
    assert table.moes["B19013_001"][0] == 14977.0


def test_api_json_turns_every_sentinel_into_nan_and_keeps_its_code():
    header = ["B01001_001E", "B01001_001M", "state", "county", "tract"]
    rows = [[str(int(value)), str(int(value)), "27", "053", f"{i + 1:06d}"] for i, value in enumerate(SENTINELS)]
    table = read_api_json(api_rows(header, *rows), year=2022, name="sentinels.json")
    for i, (_value, code) in enumerate(SENTINELS.items()):
        assert np.isnan(table.estimates["B01001_001"][i])
        assert table.annotations["B01001_001"][i] == code
        assert table.moe_annotations["B01001_001"][i] == code
        if code == "*****":
            assert table.moes["B01001_001"][i] == 0.0  # controlled estimate: no sampling error
        else:
            assert np.isnan(table.moes["B01001_001"][i])


def test_api_json_null_is_missing_without_a_code():
    table = read_api_json(API, year=2022)
    i = table.index_of("27123030300")
    assert np.isnan(table.estimates["B19013_001"][i])
    assert i not in table.annotations.get("B19013_001", {})


def test_api_group_response_reads_ea_and_ma_columns_and_flags_top_coded_medians():
    header = ["GEO_ID", "NAME", "B19013_001E", "B19013_001EA", "B19013_001M", "B19013_001MA", "state", "county",
              "tract"]
    body = api_rows(header,
                    ["1400000US27053000101", "Tract 1.01", "250001", "250,000+", "-333333333", "***", "27", "053",
                     "000101"],
                    ["1400000US27053000102", "Tract 1.02", "2499", "2,500-", "-333333333", "***", "27", "053",
                     "000102"],
                    ["1400000US27053000200", "Tract 2", "61000", None, "5000", None, "27", "053", "000200"])
    table = read_api_json(body, year=2022, name="group.json")
    assert table.censored["B19013_001"] == {0: "top", 1: "bottom"}
    assert table.estimates["B19013_001"][0] == 250001.0
    assert table.annotations["B19013_001"][0] == "250,000+"
    assert 2 not in table.censored["B19013_001"]


def test_api_group_fixture_controlled_moes_are_zero_and_labels_attach():
    labels = read_variables_json(DATA / "census_api" / "variables_B19001.json")
    table = read_api_json(API_GROUP, year=2022, labels=labels)
    i = table.index_of("27123030200")
    assert table.moes["B19001_002"][i] == 0.0
    assert table.moe_annotations["B19001_002"][i] == "*****"
    assert table.labels["B19001_002"] == "Estimate!!Total:!!Less than $10,000"
    assert "B19001_002M" not in table.labels  # labels are per variable, from the estimate


@pytest.mark.parametrize(("year", "geography"), [(2012, 2010), (2019, 2010), (2020, 2020), (2023, 2020)])
def test_geography_year_follows_the_survey_end_year(year, geography):
    assert geography_year_for(year) == geography


def test_api_json_without_tract_column_is_refused():
    body = api_rows(["B19013_001E", "state", "county"], ["5", "27", "053"])
    with pytest.raises(SourceError) as exc:
        read_api_json(body, year=2022, name="counties.json")
    assert "tract" in messages(exc)


def test_api_json_with_block_groups_is_refused():
    body = api_rows(["B19013_001E", "state", "county", "tract", "block group"], ["5", "27", "053", "000101", "1"])
    with pytest.raises(SourceError) as exc:
        read_api_json(body, year=2022, name="bg.json")
    assert "block group" in messages(exc)


def test_api_json_with_wrong_length_codes_names_the_row_and_column():
    body = api_rows(["B19013_001E", "state", "county", "tract"], ["5", "27", "053", "000101"],
                    ["6", "27", "53", "000102"])
    with pytest.raises(SourceError) as exc:
        read_api_json(body, year=2022, name="short.json")
    problem = exc.value.problems[0]
    assert (problem.row, problem.column) == (3, "county")


def test_api_json_error_text_is_not_a_table():
    with pytest.raises(SourceError) as exc:
        read_api_json(b"error: unknown variable 'B99999_001E'", year=2022, name="err.json")
    assert "not valid JSON" in messages(exc)


def test_api_json_duplicate_tracts_are_refused():
    body = api_rows(["B19013_001E", "state", "county", "tract"], ["5", "27", "053", "000101"],
                    ["6", "27", "053", "000101"])
    with pytest.raises(SourceError) as exc:
        read_api_json(body, year=2022, name="dup.json")
    assert exc.value.problems[0].row == 3 and "twice" in messages(exc)


# --- data.census.gov CSV ------------------------------------------------------------------------------


def test_census_csv_reads_codes_skips_labels_and_drops_trailing_empty_column():
    table = read_census_csv(CSV_2022)
    assert table.year == 2022 and table.geography_year == 2020
    assert table.geoids.tolist()[0] == "27053000101"
    assert set(table.estimates) == {"B19013_001", "B25064_001"}
    assert table.ignored_columns == ()
    assert table.labels["B19013_001"].startswith("Estimate!!Median household income")


def test_census_csv_coerces_every_annotation_string():
    table = read_census_csv(CSV_2022)
    income, rent = table.estimates["B19013_001"], table.estimates["B25064_001"]
    row = {g: i for i, g in enumerate(table.geoids.tolist())}
    assert income[row["27053000102"]] == 250000.0 and table.censored["B19013_001"][row["27053000102"]] == "top"
    assert income[row["27123030100"]] == 2500.0 and table.censored["B19013_001"][row["27123030100"]] == "bottom"
    assert rent[row["27123030100"]] == 3500.0 and table.censored["B25064_001"][row["27123030100"]] == "top"
    assert np.isnan(income[row["27053000200"]]) and table.annotations["B19013_001"][row["27053000200"]] == "-"
    assert np.isnan(income[row["27123030200"]]) and table.annotations["B19013_001"][row["27123030200"]] == "N"
    assert np.isnan(rent[row["27053000200"]]) and table.annotations["B25064_001"][row["27053000200"]] == "(X)"
    assert table.moe_annotations["B19013_001"][row["27053000200"]] == "**"
    assert table.moe_annotations["B19013_001"][row["27053000102"]] == "***"
    assert table.moes["B25064_001"][row["27123030200"]] == 0.0
    assert table.moe_annotations["B25064_001"][row["27123030200"]] == "*****"


def test_old_overlays_naming_gives_the_year_and_2010_tracts():
    assert year_from_name(CSV_2019.name) == (2019, 5)
    table = read_census_csv(CSV_2019)
    assert table.year == 2019 and table.geography_year == 2010
    assert table.geoids.tolist() == ["27053000100", "27053000200", "27123030100"]


def test_zip_export_is_read_with_its_metadata_labels():
    buffer = io.BytesIO()
    text = CSV_2022.read_text().splitlines()
    no_labels = "\n".join([text[0], *text[2:]]) + "\n"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ACSDT5Y2022.B19013-Data.csv", no_labels)
        archive.writestr("ACSDT5Y2022.B19013-Column-Metadata.csv",
                         '"Column Name","Label"\nGEO_ID,Geography\nB19013_001E,"Estimate!!Median household income"\n')
        archive.writestr("ACSDT5Y2022.B19013-Table-Notes.txt", "notes")
    table = read_acs_file(buffer.getvalue(), name="productDownload_2026.zip")
    assert table.year == 2022 and len(table) == 5
    assert table.labels["B19013_001"] == "Estimate!!Median household income"


def test_zip_without_data_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(SourceError) as exc:
        read_census_csv(buffer.getvalue(), name="x.zip")
    assert "readme.txt" in messages(exc)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


HEADER = "GEO_ID,NAME,B19013_001E,B19013_001M"
LABELS = "Geography,Geographic Area Name,Estimate!!Median income,Margin of Error!!Median income"


def test_wrong_headers_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes("id,name,income", "1,a,5"), year=2022, name="x.csv")
    assert "GEO_ID" in messages(exc)
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes("GEO_ID,NAME,income", "1400000US27053000101,a,5"), year=2022, name="x.csv")
    assert "No estimate columns" in messages(exc)


def test_labels_in_the_first_row_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes(LABELS, HEADER, "1400000US27053000101,a,5,1"), year=2022, name="x.csv")
    assert "first row holds column labels" in messages(exc)


def test_a_second_row_neither_labels_nor_data_is_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes(HEADER, "hello,there,5,1", "1400000US27053000101,a,5,1"), year=2022,
                        name="x.csv")
    assert exc.value.problems[0].row == 2


def test_a_header_row_repeated_later_is_refused_with_its_row():
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes(HEADER, LABELS, "1400000US27053000101,a,5,1", LABELS,
                                  "1400000US27053000102,b,6,1"), year=2022, name="x.csv")
    rows = {p.row for p in exc.value.problems if p.column == "GEO_ID"}
    assert rows == {4}
    assert "repeats the column labels" in messages(exc)


def test_a_file_without_label_row_is_read():
    table = read_census_csv(csv_bytes(HEADER, "1400000US27053000101,a,5,1"), year=2022, name="x.csv")
    assert table.estimates["B19013_001"].tolist() == [5.0]


def test_unknown_annotation_strings_are_reported_by_row_and_column():
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes(HEADER, LABELS, "1400000US27053000101,a,5,1",
                                  "1400000US27053000102,b,about 6,1", "1400000US27053000103,c,7,n/a"),
                        year=2022, name="x.csv")
    where = {(p.row, p.column) for p in exc.value.problems}
    assert where == {(4, "B19013_001E"), (5, "B19013_001M")}


def test_geoids_of_the_wrong_length_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes(HEADER, "1400000US2705300010,a,5,1"), year=2022, name="x.csv")
    assert "10 digits" in messages(exc) and exc.value.problems[0].row == 2


def test_block_groups_and_counties_mixed_in_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes(HEADER, LABELS, "1400000US27053000101,a,5,1", "1500000US270530001011,b,5,1",
                                  "0500000US27053,c,5,1"), year=2022, name="x.csv")
    text = messages(exc)
    assert "block group" in text and "county" in text
    assert {p.row for p in exc.value.problems} == {4, 5}


def test_duplicate_geoids_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes(HEADER, "1400000US27053000101,a,5,1", "1400000US27053000101,a,6,1"),
                        year=2022, name="x.csv")
    assert "twice" in messages(exc)


def test_mixed_vintages_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(CSV_2022, year=2019)
    assert "2019" in messages(exc) and "2022" in messages(exc)
    with pytest.raises(SourceError) as exc:
        merge_tables([read_census_csv(CSV_2022), read_census_csv(CSV_2019)])
    assert "mix survey years" in messages(exc)


def test_labels_of_another_dollar_year_contradict_the_file_name():
    text = CSV_2022.read_text().replace("in 2022 inflation", "in 2021 inflation")
    with pytest.raises(SourceError):
        read_census_csv(text.encode(), name=CSV_2022.name)


def test_one_year_survey_is_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(CSV_2022.read_bytes(), name="ACSDT1Y2022.B19013-Data.csv")
    assert "5-year" in messages(exc)


def test_empty_and_header_only_files_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(b"", name="x.csv", year=2022)
    assert "empty" in messages(exc)
    with pytest.raises(SourceError) as exc:
        read_census_csv(csv_bytes(HEADER, LABELS), name="x.csv", year=2022)
    assert "no tracts" in messages(exc)


def test_files_over_the_size_limit_are_refused():
    with pytest.raises(SourceError) as exc:
        read_census_csv(CSV_2022, max_bytes=100)
    assert "MB" in messages(exc)


def test_merge_joins_chunks_of_variables_and_states():
    a = read_api_json(api_rows(["B1_001E", "state", "county", "tract"], ["1", "27", "053", "000101"]),
                      year=2022, name="a.json")
    b = read_api_json(api_rows(["B2_001E", "state", "county", "tract"], ["2", "27", "053", "000101"],
                               ["3", "55", "001", "000100"]), year=2022, name="b.json")
    merged = merge_tables([a, b])
    assert merged.geoids.tolist() == ["27053000101", "55001000100"]
    assert merged.estimates["B2_001"].tolist() == [2.0, 3.0]
    assert merged.estimates["B1_001"][0] == 1.0 and np.isnan(merged.estimates["B1_001"][1])


def test_api_file_without_a_year_is_refused():
    with pytest.raises(SourceError) as exc:
        read_acs_file(API.read_bytes(), name="response.json")
    assert "survey year" in messages(exc)


def test_api_json_ragged_rows_are_reported_by_row():
    body = b'[["B19013_001E","state","county","tract"],\n["5","27","053","000101"],\n["6","27","053"]]'
    with pytest.raises(SourceError) as exc:
        read_api_json(body, year=2022, name="ragged.json")
    assert exc.value.problems[0].row == 3 and "3 cells" in messages(exc)


def test_api_json_read_as_csv_or_as_json_gives_the_same_table():
    """Responses with JSON escapes take the plain JSON path; both paths must agree."""
    plain = API.read_bytes()
    escaped = plain.replace(b"Census Tract 1.01", b"Census Tract 1\\u002e01")
    a, b = read_api_json(plain, year=2022, name="a.json"), read_api_json(escaped, year=2022, name="b.json")
    assert a.geoids.tolist() == b.geoids.tolist()
    for var in a.estimates:
        np.testing.assert_array_equal(a.estimates[var], b.estimates[var])
        np.testing.assert_array_equal(a.moes[var], b.moes[var])
    assert (a.annotations, a.moe_annotations) == (b.annotations, b.moe_annotations)


@pytest.mark.parametrize(("raw", "expected"), [
    (b"a,-,**,***,*****,N,(X)\n", b"a,-666666666,-222222222,-333333333,-555555555,-999999999,-888888888\n"),
    (b"a,-\r\nb,**", b"a,-666666666\r\nb,-222222222"),
    (b"x,-5,N1,(X),***a,*", b"x,-5,N1,-888888888,***a,*"),  # numbers and look-alikes untouched
    (b'x,"-",N', b'x,"-",-999999999'),  # a quoted code is left for the cell-by-cell path
])
def test_codes_become_api_sentinels_only_in_whole_cells(raw, expected):
    from commontable.displacement.sources.acs import _codes_to_sentinels

    assert _codes_to_sentinels(raw) == expected


def test_a_quoted_code_is_still_read_as_its_code():
    table = read_census_csv(csv_bytes(HEADER, '1400000US27053000101,a,"-","**"'), year=2022, name="x.csv")
    assert np.isnan(table.estimates["B19013_001"][0]) and table.annotations["B19013_001"] == {0: "-"}


def test_a_top_coded_median_far_down_a_national_file_reads_without_a_warning():
    # A wide file (124 columns) of 10,000 rows: the C parser reads it in chunks of about 8,000 rows, so
    # the median column is numbers in the first chunk and holds text in the second.
    extra = [f"B25034_{k:03d}" for k in range(1, 61)]
    header = HEADER + "," + ",".join(f"{v}{kind}" for v in extra for kind in ("E", "M"))
    labels = LABELS + "," + ",".join(f"{kind}!!Total:!!Line {v}" for v in extra for kind in ("Estimate", "Margin"))
    tail = ",7" * (2 * len(extra))
    rows = [f"1400000US{27000000000 + i:011d},Tract {i},{40000 + i % 1000},{900 + i % 50}{tail}"
            for i in range(10_000)]
    rows[-1] = f'1400000US27999999999,Last,"250,000+",***{tail}'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = read_census_csv(csv_bytes(header, labels, *rows), year=2022, name="x.csv")
    assert table.estimates["B19013_001"][0] == 40000 and table.estimates["B19013_001"][-1] == 250000
    assert table.censored["B19013_001"] == {9_999: "top"} and np.isnan(table.moes["B19013_001"][-1])
    assert table.estimates["B25034_060"][-1] == 7

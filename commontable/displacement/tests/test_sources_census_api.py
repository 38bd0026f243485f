"""The Census Data API fetch client, against recorded responses served by a fake transport (no network)."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from commontable.displacement.sources.census_api import (
    CENSUS_API_BASE,
    build_url,
    chunk_variables,
    fetch_acs_tracts,
    fetch_labels,
    read_fetched,
)
from commontable.displacement.sources.errors import SourceError

RECORDED = Path(__file__).parent / "data" / "census_api"


class FakeTransport:
    """Serves the recorded response named after the request's `get=` list; scripted failures first."""

    def __init__(self, failures: list[tuple[int, bytes]] | None = None):
        self.urls: list[str] = []
        self.failures = list(failures or [])

    def __call__(self, url: str) -> tuple[int, bytes]:
        self.urls.append(url)
        if self.failures:
            return self.failures.pop(0)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        path = RECORDED / f"get_{query['get']}.json"
        return (200, path.read_bytes()) if path.exists() else (400, (RECORDED / "error_400_unknown_variable.txt").read_bytes())


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def fetch(tmp_path, transport, clock=None, **kwargs):
    clock = clock or Clock()
    defaults = {"year": 2022, "variables": ["B19013_001", "B25064_001"], "states": ["27"], "cache_dir": tmp_path,
                "transport": transport, "chunk_size": 2, "sleep": clock.sleep, "clock": clock, "min_interval": 1.5}
    return fetch_acs_tracts(**{**defaults, **kwargs})


def test_variables_are_split_into_calls_of_at_most_fifty_columns():
    chunks = chunk_variables([f"B01001_{i:03d}" for i in range(1, 40)])
    assert [len(c) for c in chunks] == [50, 28]
    assert chunks[0][:2] == ["B01001_001E", "B01001_001M"]
    assert all(len(c) <= 50 for c in chunk_variables([f"B19001_{i:03d}" for i in range(1, 18)],
                                                     with_annotations=True))


def test_url_asks_for_tracts_of_a_state_or_county():
    url = build_url(year=2022, columns=["B19013_001E"], state="27", county="053", key="k")
    assert url.startswith(CENSUS_API_BASE + "/2022/acs/acs5?")
    assert "for=tract:*" in url and "in=state:27" in url and "in=county:053" in url and "key=k" in url


def test_fetch_writes_each_response_and_reads_back_one_table(tmp_path):
    transport = FakeTransport()
    report = fetch(tmp_path, transport)
    assert report.calls == 2 and [p.name for p in report.fetched] == ["acs5_2022_st27_part01.json",
                                                                      "acs5_2022_st27_part02.json"]
    table = read_fetched(report.files, year=2022)
    assert table.geoids.tolist() == ["27053000101", "27053000102", "27053000200"]
    assert table.estimates["B25064_001"][0] == 1050.0
    assert table.annotations["B19013_001"] == {2: "-"}


def test_a_rerun_skips_what_is_cached_and_complete(tmp_path):
    fetch(tmp_path, FakeTransport())
    (tmp_path / "acs5_2022_st27_part02.json").write_bytes(b'[["B25064_001E"')  # cut short
    transport = FakeTransport()
    report = fetch(tmp_path, transport)
    assert report.calls == 1 and [p.name for p in report.reused] == ["acs5_2022_st27_part01.json"]
    assert "B25064_001E" in urllib.parse.unquote(transport.urls[0])


def test_calls_are_paced(tmp_path):
    clock = Clock()
    fetch(tmp_path, FakeTransport(), clock=clock)
    assert clock.sleeps == [1.5]


def test_429_and_5xx_are_retried_with_growing_waits(tmp_path):
    clock = Clock()
    transport = FakeTransport(failures=[(429, b"slow down"), (503, b"busy")])
    report = fetch(tmp_path, transport, clock=clock, backoff=2.0)
    assert report.retries == 2 and report.calls == 4
    assert [s for s in clock.sleeps if s in (2.0, 4.0)] == [2.0, 4.0]


def test_gives_up_after_the_retries_and_keeps_what_was_fetched(tmp_path):
    transport = FakeTransport()
    report = fetch(tmp_path, transport, variables=["B19013_001"])
    transport = FakeTransport(failures=[(500, b"")] * 10)
    with pytest.raises(SourceError) as exc:
        fetch(tmp_path, transport, retries=2, variables=["B19013_001", "B25064_001"])
    assert "did not answer after 3 tries" in str(exc.value)
    assert report.files[0].exists()


def test_unknown_variable_400_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError) as exc:
        fetch(tmp_path, FakeTransport(), variables=["B99999_001"], key="SECRET")
    text = str(exc.value)
    assert "unknown variable" in text and "may not exist in the 2022 survey" in text
    assert "SECRET" not in text


def test_204_and_non_json_bodies_are_clear_errors(tmp_path):
    with pytest.raises(SourceError) as exc:
        fetch(tmp_path, FakeTransport(failures=[(204, b"")]))
    assert "no data" in str(exc.value)
    with pytest.raises(SourceError) as exc:
        fetch(tmp_path, FakeTransport(failures=[(200, b"<html>Invalid Key</html>")]))
    assert "Invalid Key" in str(exc.value)
    assert not list(tmp_path.glob("*.json"))  # nothing half-written


def test_labels_come_from_the_groups_file_and_are_cached(tmp_path):
    calls = []

    def transport(url):
        calls.append(url)
        return 200, (RECORDED / "variables_B19001.json").read_bytes()

    labels = fetch_labels(year=2022, groups=["B19001"], cache_dir=tmp_path, transport=transport)
    assert labels["B19001_017"] == "Estimate!!Total:!!$200,000 or more"
    fetch_labels(year=2022, groups=["B19001"], cache_dir=tmp_path, transport=transport)
    assert len(calls) == 1

"""Fetching ACS 5-year tract tables from the Census Data API: paced, resumable, retried (spec §3.2).

`fetch_acs_tracts` asks for a list of variables (at most 50 per call, split otherwise) for every tract
of a state (optionally one county), writes each response to a cache directory as it arrives
(`acs5_<year>_st<SS>[_co<CCC>]_part<NN>.json`), and skips responses already there and complete, so an
interrupted run resumes where it stopped. Calls are spaced by `min_interval` seconds; 429 and 5xx
answers are retried with growing waits; 400 (an unknown variable), 204 (no data) and bodies that are
not JSON stop with a clear message. HTTP goes through a `transport` callable (URL → (status, bytes)),
so tests serve recorded responses and never touch the network.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .acs import AcsTable, merge_tables, read_api_json, read_variables_json
from .errors import Problem, SourceError

# The only host this module knows; users configure nothing else.
CENSUS_API_BASE = "https://api.census.gov/data"
MAX_VARIABLES_PER_CALL = 50
DEFAULT_MIN_INTERVAL = 1.0  # seconds between calls
DEFAULT_RETRIES = 4
DEFAULT_TIMEOUT = 60.0

Transport = Callable[[str], tuple[int, bytes]]


def urllib_transport(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> tuple[int, bytes]:
    """The default transport: one GET with a timeout; HTTP errors come back as (status, body)."""
    if not url.startswith(CENSUS_API_BASE + "/"):
        raise ValueError("only the Census Data API is fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "commontable-displacement/1"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (checked above)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read() or b""
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return 0, str(getattr(exc, "reason", exc)).encode()


@dataclass
class FetchReport:
    """What a fetch did: files written this run, files reused from the cache, calls made, retries."""

    files: list[Path] = field(default_factory=list)
    fetched: list[Path] = field(default_factory=list)
    reused: list[Path] = field(default_factory=list)
    calls: int = 0
    retries: int = 0


def chunk_variables(variables: Iterable[str], *, with_moe: bool = True, with_annotations: bool = False,
                    size: int = MAX_VARIABLES_PER_CALL) -> list[list[str]]:
    """API column names for the variables ("B19013_001" → B19013_001E [+M, +EA, +MA]), in calls of ≤ size.

    NAME is not requested (never parsed); the API appends state, county and tract itself. A
    variable's columns stay in one call.
    """
    suffixes = ["E"] + (["M"] if with_moe else []) + (["EA", "MA"] if with_annotations else [])
    per_var = len(suffixes)
    if per_var > size:
        raise ValueError("chunk size too small")
    chunks: list[list[str]] = []
    current: list[str] = []
    seen = set()
    for var in variables:
        var = var.strip().upper()
        if var.endswith(("E", "M")) and var[:-1][-3:].isdigit():
            var = var[:-1]
        if var in seen:
            continue
        seen.add(var)
        if len(current) + per_var > size:
            chunks.append(current)
            current = []
        current.extend(var + s for s in suffixes)
    if current:
        chunks.append(current)
    return chunks


def build_url(*, year: int, columns: list[str], state: str, county: str | None = None, key: str | None = None,
              dataset: str = "acs/acs5") -> str:
    """The request for tracts of a state (or one county): get=…&for=tract:*&in=state:SS[&in=county:CCC]."""
    params = [("get", ",".join(columns)), ("for", "tract:*"), ("in", f"state:{state}")]
    if county:
        params.append(("in", f"county:{county}"))
    if key:
        params.append(("key", key))
    return f"{CENSUS_API_BASE}/{int(year)}/{dataset}?" + urllib.parse.urlencode(params, safe=":,*")


def cache_name(*, year: int, state: str, county: str | None, part: int) -> str:
    county_part = f"_co{county}" if county else ""
    return f"acs5_{int(year)}_st{state}{county_part}_part{part:02d}.json"


def _complete(path: Path, columns: list[str]) -> bool:
    """A cached response is complete if it parses as the table asked for (same columns, some rows)."""
    try:
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return (isinstance(doc, list) and len(doc) >= 2 and isinstance(doc[0], list)
            and doc[0][:len(columns)] == columns)


def _redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, "…" if k == "key" else v) for k, v in urllib.parse.parse_qsl(parts.query)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, safe=":,*…")))


def fetch_acs_tracts(*, year: int, variables: Iterable[str], states: Iterable[str], cache_dir: str | os.PathLike,
                     counties: dict[str, list[str]] | None = None, key: str | None = None,
                     transport: Transport | None = None, min_interval: float = DEFAULT_MIN_INTERVAL,
                     retries: int = DEFAULT_RETRIES, backoff: float = 2.0, with_moe: bool = True,
                     with_annotations: bool = False, chunk_size: int = MAX_VARIABLES_PER_CALL,
                     sleep: Callable[[float], None] = time.sleep,
                     clock: Callable[[], float] = time.monotonic,
                     progress: Callable[[str], None] | None = None) -> FetchReport:
    """Fetch the variables for every tract of each state (or of the listed counties) into `cache_dir`.

    Returns a `FetchReport`; read the files with `read_fetched`. Raises `SourceError` on an answer that
    cannot be used (the files already written stay, so a re-run resumes). `key` is optional (without
    one the API allows about 500 calls a day); it never appears in file names or messages.
    `with_annotations` also asks for the EA/MA columns (needed to see top-coded medians).
    """
    transport = transport or urllib_transport
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    chunks = chunk_variables(variables, with_moe=with_moe, with_annotations=with_annotations,
                             size=min(chunk_size, MAX_VARIABLES_PER_CALL))
    if not chunks:
        raise SourceError([Problem(_("No variables were asked for."))])
    report = FetchReport()
    last_call = [None]

    def call(url: str) -> tuple[int, bytes]:
        if last_call[0] is not None:
            wait = min_interval - (clock() - last_call[0])
            if wait > 0:
                sleep(wait)
        last_call[0] = clock()
        report.calls += 1
        return transport(url)

    places = []
    for state in states:
        state = f"{int(state):02d}"
        for county in (counties or {}).get(state, [None]):
            places.append((state, f"{int(county):03d}" if county else None))
    for state, county in places:
        for part, columns in enumerate(chunks, start=1):
            path = cache / cache_name(year=year, state=state, county=county, part=part)
            report.files.append(path)
            if path.exists() and _complete(path, columns):
                report.reused.append(path)
                continue
            url = build_url(year=year, columns=columns, state=state, county=county, key=key)
            attempt = 0
            while True:
                status, body = call(url)
                if status == 429 or status >= 500 or status == 0:
                    if attempt < retries:
                        attempt += 1
                        report.retries += 1
                        sleep(backoff ** attempt)
                        continue
                    raise SourceError([Problem(
                        _("The Census Data API did not answer after %(tries)s tries (last status %(status)s) for "
                          "state %(state)s. Try again later; files already fetched are kept.")
                        % {"tries": attempt + 1, "status": status or _("no connection"), "state": state})])
                break
            where = _redact(url)
            if status == 204:
                raise SourceError([Problem(_("The Census Data API has no data for this request (state %(state)s, "
                                             "year %(year)s): %(url)s") % {"state": state, "year": year,
                                                                           "url": where})])
            if status == 400:
                detail = body.decode("utf-8", errors="replace").strip()[:300]
                raise SourceError([Problem(_("The Census Data API refused the request (%(detail)s). A variable "
                                             "may not exist in the %(year)s survey: %(url)s")
                                           % {"detail": detail, "year": year, "url": where})])
            if status != 200:
                raise SourceError([Problem(_("The Census Data API answered with status %(status)s: %(url)s")
                                           % {"status": status, "url": where})])
            try:
                doc = json.loads(body.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError):
                text = body.decode("utf-8", errors="replace").strip()[:300]
                raise SourceError([Problem(_("The Census Data API sent something that is not a table: "
                                             "%(text)s") % {"text": text})]) from None
            if not (isinstance(doc, list) and doc and isinstance(doc[0], list)
                    and doc[0][:len(columns)] == columns):
                raise SourceError([Problem(_("The Census Data API's answer does not have the columns asked "
                                             "for: %(url)s") % {"url": where})])
            tmp = path.with_suffix(".part")
            tmp.write_bytes(body)
            os.replace(tmp, path)  # a file in the cache is always a whole response
            report.fetched.append(path)
            if progress:
                progress(path.name)
    return report


def read_fetched(paths: Iterable[str | os.PathLike], *, year: int,
                 labels: dict[str, str] | None = None) -> AcsTable:
    """Read the cached responses of a fetch into one `AcsTable` (chunks and states joined)."""
    return merge_tables([read_api_json(p, year=year, labels=labels) for p in paths])


def fetch_labels(*, year: int, groups: Iterable[str], cache_dir: str | os.PathLike,
                 transport: Transport | None = None, key: str | None = None) -> dict[str, str]:
    """Labels of the tables' variables (groups/<TABLE>.json), cached like the data."""
    transport = transport or urllib_transport
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    labels: dict[str, str] = {}
    for group in groups:
        path = cache / f"acs5_{int(year)}_groups_{group}.json"
        if not path.exists():
            url = f"{CENSUS_API_BASE}/{int(year)}/acs/acs5/groups/{group}.json"
            if key:
                url += "?" + urllib.parse.urlencode({"key": key})
            status, body = transport(url)
            if status != 200:
                raise SourceError([Problem(_("The Census Data API has no table %(group)s for %(year)s (status "
                                             "%(status)s).") % {"group": group, "year": year,
                                                                 "status": status})])
            path.write_bytes(body)
        labels.update(read_variables_json(path))
    return labels

"""Accessibility and low-bandwidth checks for browser tests.

- `assert_accessible(page)`: axe-core with the WCAG 2.0/2.1/2.2 A and AA rules; no violations.
- `assert_keyboard_walk(page)`: the first Tab lands on the skip link; Tab then reaches every link,
  button and field without getting stuck; focus is always visible.
- `measure_page_weight(context, url)` / `assert_page_weight(...)`: bytes on the wire (Chrome
  DevTools Protocol), JavaScript bytes, web fonts and other origins, against the budgets of
  shared/language-justice-accessibility.md §4.5.

axe and the keyboard walk need JavaScript in the page, so they run in contexts where it is on.
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PUBLIC_PAGE_BUDGET = 150 * 1024  # bytes transferred, everything included
JS_BUDGET = 20 * 1024
FONT_TYPES = ("font/", "application/font", "application/x-font")
FONT_EXTENSIONS = (".woff", ".woff2", ".ttf", ".otf", ".eot")

_axe = Axe()


def axe_violations(page) -> list[dict]:
    results = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    return results.response["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} WCAG violation(s) on {page.url}:\n" + format_violations(violations)
    )


# --- Keyboard ------------------------------------------------------------------------------------

# A stable name for the focused element (a CSS path) and how its focus shows.
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const path = (node) => {
    const parts = [];
    while (node && node.nodeType === 1 && node !== document.documentElement) {
      let i = 1, sib = node;
      while ((sib = sib.previousElementSibling)) if (sib.tagName === node.tagName) i++;
      parts.unshift(node.tagName.toLowerCase() + ':nth-of-type(' + i + ')');
      node = node.parentElement;
    }
    return parts.join('>');
  };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  // Focus Not Obscured (2.4.11): some of the element is in the viewport and is what is on top there.
  const r = el.getBoundingClientRect();
  const left = Math.max(r.left, 0), right = Math.min(r.right, window.innerWidth);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, window.innerHeight);
  let obscured = null;
  if (right <= left || bottom <= top) {
    obscured = 'outside the viewport';
  } else {
    const related = (hit) => hit && (hit === el || el.contains(hit) || hit.contains(el)
                                     || (el.labels && [...el.labels].some(l => l === hit || l.contains(hit))));
    const points = [[(left + right) / 2, (top + bottom) / 2], [left + 1, top + 1], [right - 1, top + 1],
                    [left + 1, bottom - 1], [right - 1, bottom - 1]];
    const hits = points.map(([x, y]) => document.elementFromPoint(x, y));
    if (!hits.some(related)) {
      const cover = hits.find(h => h) || null;
      obscured = 'covered by ' + (cover ? path(cover) : 'nothing visible');
    }
  }
  return {key: path(el), tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim().slice(0, 40),
          classes: el.className || '', href: el.getAttribute('href'),
          focusVisible: el.matches(':focus-visible'), indicator: outline || shadow, obscured};
}"""

_FOCUSABLE_JS = """() => {
  const path = (node) => {
    const parts = [];
    while (node && node.nodeType === 1 && node !== document.documentElement) {
      let i = 1, sib = node;
      while ((sib = sib.previousElementSibling)) if (sib.tagName === node.tagName) i++;
      parts.unshift(node.tagName.toLowerCase() + ':nth-of-type(' + i + ')');
      node = node.parentElement;
    }
    return parts.join('>');
  };
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]),'
                 + ' textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  return [...document.querySelectorAll(selector)]
    .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    // A radio group is one Tab stop (arrow keys move inside it): its checked radio, or its first
    // one when none is checked.
    .filter(el => {
      if (el.type !== 'radio' || el.checked || !el.form) return true;
      const group = [...el.form.elements].filter(o => o.type === 'radio' && o.name === el.name);
      return !group.some(o => o.checked) && group[0] === el;
    })
    .map(el => ({key: path(el), tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim().slice(0, 40)}));
}"""


@dataclass
class KeyboardWalk:
    order: list[dict] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [step["text"] for step in self.order]


def assert_keyboard_walk(page, *, max_steps: int = 400, check_obscured: bool = False) -> KeyboardWalk:
    """Tab from the top of the page until focus leaves the document (or comes back to the start).
    Fails on: a first stop other than the skip link, a stop without a visible focus indicator, a
    trap (focus stuck, or cycling without leaving), or a link/button/field never reached. With
    `check_obscured`, also on a focused element scrolled out of view or hidden under another
    element (WCAG 2.4.11 Focus Not Obscured; sticky banners on small screens)."""
    # Start from the top of the document, wherever the page put focus (a refused form focuses its
    # error summary): blurring alone would leave the browser's starting point there.
    page.evaluate("""() => {
      document.activeElement && document.activeElement.blur();
      const body = document.body;
      const had = body.getAttribute('tabindex');
      body.setAttribute('tabindex', '-1');
      body.focus({preventScroll: true});
      if (had === null) { body.removeAttribute('tabindex'); } else { body.setAttribute('tabindex', had); }
      window.scrollTo(0, 0);
    }""")
    walk = KeyboardWalk()
    seen: set[str] = set()
    for _ in range(max_steps):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUS_JS)
        if focused is None:
            break  # past the last element: focus went to the browser
        if not walk.order:
            assert "skip-link" in focused["classes"] or focused["href"] == "#main", (
                f"the first Tab should focus the skip link, not {focused}"
            )
        if walk.order and focused["key"] == walk.order[-1]["key"] and focused["tag"] == "input":
            continue  # a date or time field: Tab moves between its month, day and year parts
        if focused["key"] in seen:
            if focused["key"] == walk.order[0]["key"]:
                break  # wrapped around to the start
            raise AssertionError(f"keyboard trap: focus came back to {focused} without leaving the page")
        assert focused["focusVisible"] and focused["indicator"], f"focus is not visible on {focused}"
        if check_obscured:
            assert not focused["obscured"], f"focus is obscured ({focused['obscured']}) on {focused}"
        seen.add(focused["key"])
        walk.order.append(focused)
    else:
        raise AssertionError(f"keyboard trap: still inside the page after {max_steps} Tab presses")
    reachable = page.evaluate(_FOCUSABLE_JS)
    missing = [el for el in reachable if el["key"] not in seen]
    assert not missing, "never reached with Tab: " + json.dumps(missing, ensure_ascii=False)
    return walk


# --- Page weight ---------------------------------------------------------------------------------


@dataclass
class PageWeight:
    """What loading one page cost on the wire. Static files the test server sends uncompressed are
    counted gzipped, as whitenoise serves them in production; HTML is counted as sent."""

    total: int = 0
    javascript: int = 0
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def describe(self) -> str:
        rows = "\n".join(f"    {size:>8} B  {kind:<12} {url}" for url, kind, size in self.requests)
        return f"{self.total} B in {len(self.requests)} requests ({self.javascript} B JavaScript)\n{rows}"


def measure_page_weight(context, url: str) -> PageWeight:
    """Load `url` in a fresh page of `context` (use a new context: an empty cache) and add up the
    encoded bytes of every response."""
    page = context.new_page()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    weight = PageWeight()
    responses: dict[str, dict] = {}
    finished: dict[str, int] = {}
    requested: list[str] = []
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.responseReceived", lambda event: responses.__setitem__(event["requestId"], event))
    cdp.on(
        "Network.loadingFinished",
        lambda event: finished.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    for request_id, size in finished.items():
        event = responses.get(request_id)
        if event is None:
            continue
        response = event["response"]
        kind = event.get("type", "")
        mime = response.get("mimeType", "")
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        if "/static/" in response["url"] and not headers.get("content-encoding"):
            body = cdp.send("Network.getResponseBody", {"requestId": request_id})
            raw = base64.b64decode(body["body"]) if body.get("base64Encoded") else body["body"].encode()
            header_bytes = max(0, size - len(raw))
            size = header_bytes + len(gzip.compress(raw, 9))
        weight.total += size
        weight.requests.append((response["url"], kind or mime, size))
        if kind == "Script" or "javascript" in mime:
            weight.javascript += size
        if (
            kind == "Font"
            or mime.startswith(FONT_TYPES)
            or response["url"].split("?")[0].endswith(FONT_EXTENSIONS)
        ):
            weight.fonts.append(response["url"])
    for requested_url in requested:
        scheme = urlsplit(requested_url).scheme
        if scheme in ("data", "blob", "about"):
            continue
        if not requested_url.startswith(origin + "/") and requested_url != origin:
            weight.foreign.append(requested_url)
    page.close()
    return weight


def assert_page_weight(
    context, url: str, *, budget: int = PUBLIC_PAGE_BUDGET, js_budget: int = JS_BUDGET
) -> PageWeight:
    weight = measure_page_weight(context, url)
    assert weight.total <= budget, f"{url} transfers {weight.describe()}; budget {budget} B"
    assert weight.javascript <= js_budget, (
        f"{url} transfers {weight.javascript} B of JavaScript; budget {js_budget} B"
    )
    assert not weight.fonts, f"{url} loads web fonts: {weight.fonts}"
    assert not weight.foreign, f"{url} contacts other origins: {weight.foreign}"
    return weight

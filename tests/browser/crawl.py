"""A bounded crawler for the browser suite (issue 14): it walks a live Serai site as one visitor in
one language, following every internal link, every ``hx-get`` and every GET form (submitted with
its default values), and records problems instead of stopping at the first one.

Bounding: each URL is reduced to a *pattern* (numbers become ``{id}``, the language prefix becomes
``{lang}``, query values are dropped but parameter names kept) and at most ``per_pattern`` URLs of
a pattern are visited. Downloads and non-HTML answers are fetched (not rendered) and only their
status is checked. POST forms are never submitted; sign-out is never followed.

Problems found on a page:
- a 5xx answer, or a 4xx answer to a link, ``hx-get`` or GET form the site offered;
- a 4xx/5xx answer to any request the page made (scripts, styles, htmx fragments);
- a console error or an uncaught exception;
- a request to any host other than the live server's (such requests are aborted);
- on a Korean or Russian page: visible English UI text not inside an element whose ``lang``
  differs from the page's (that is how Serai marks content shown in a fallback language);
- in the phone pass (375 px): a page wider than the screen.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

LANGS = ("en", "ko", "ru")
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".docx", ".ics", ".xml", ".pdf", ".json", ".zip")
NEVER = (
    re.compile(r"^/[a-z]{2}/accounts/logout/"),
    re.compile(r"^/i18n/setlang/"),
)
ADMIN_PAGES = 6  # Django's admin: a sample, not every model
NUMBER = re.compile(r"(?<![A-Za-z])\d+(?![A-Za-z])")

# Words that read as English but are names, codes or units: never counted as English UI text.
PROPER = [
    "Serai",
    "IATI",
    "BACI",
    "HS",
    "HS2",
    "HS6",
    "DAC",
    "PDF",
    "CSV",
    "XLSX",
    "DOCX",
    "API",
    "TOTP",
    "KRW",
    "USD",
    "OECD",
    "CEPII",
    "JSON",
    "XML",
    "ICS",
    "HTML",
    "URL",
    "ISO",
    "UN",
    "CRS",
    "ODA",
    "ID",
    "OK",
    "QR",
    "SHA",
    "Plotly",
    "htmx",
    "Django",
    "PostgreSQL",
    "SQLite",
    "GitHub",
    "Google",
    "Authenticator",
    "FreeOTP",
    "Aegis",
    "Microsoft",
    "iCalendar",
    "WTO",
    "UN Comtrade",
    "Comtrade",
    "RCA",
    "ECI",
    "PCI",
    "Natural Earth",
    "world-atlas",
    "plotly.js",
    "axe-core",
]

# Runs of two or more Latin words (three letters or more, at least one lower-case letter) in one
# text node, after names, codes, numbers, addresses and e-mails are removed; plus single words
# that are certainly untranslated UI.
ENGLISH_JS = r"""
([proper, single]) => {
  const pageLang = (document.documentElement.getAttribute('lang') || '').toLowerCase().split('-')[0];
  const sameLang = (el) => {
    const marked = el.closest('[lang]');
    return !marked || marked.getAttribute('lang').toLowerCase().split('-')[0] === pageLang;
  };
  // form values (textarea content) are what a user typed, not UI text
  const skip = 'script,style,code,pre,noscript,template,kbd,samp,var,svg,math,textarea,[translate="no"]';
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const properRe = new RegExp('(^|[^A-Za-z])(' + proper.map(escape).join('|') + ')(?=$|[^A-Za-z])', 'g');
  const singles = new Set(single);
  const clean = (text) => text
    .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, ' ')              // e-mail addresses
    .replace(/\b(https?:\/\/|www\.)\S+/g, ' ')                    // addresses
    .replace(/(^|\s)\/\S*/g, ' ')                                 // paths
    .replace(/\S*\d\S*/g, ' ')                                    // numbers, codes, dates
    .replace(/\b[A-Z][A-Z0-9-]+\b/g, ' ')                         // acronyms and ISO codes
    .replace(properRe, '$1 ');
  // a hyphenated compound (or a slug such as climate-environment) is one word
  const word = "[A-Za-z]*[a-z][A-Za-z]*(?:-[A-Za-z]+)*";
  const run = new RegExp(word + "(?:[ \\t\\u00a0,;:&'’()/–—]+" + word + ")+", "g");
  const english = (text) => {
    const cleaned = clean(text);
    const hits = [];
    for (const m of cleaned.matchAll(run)) {
      const words = m[0].split(/[^A-Za-z-]+/).filter((w) => w.replace(/-/g, '').length >= 3);
      if (words.length >= 2) hits.push(m[0].trim());
    }
    const only = cleaned.trim();
    if (!hits.length && singles.has(only)) hits.push(only);
    return hits;
  };
  const visible = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
      parts.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : (e.classList.length ? '.' + e.classList[0] : '')));
    }
    return parts.join(' > ');
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.data.trim() || el.closest(skip) || !sameLang(el)) continue;
    if (el.closest('option') ? !visible(el.closest('select')) : !visible(el)) continue;
    for (const hit of english(node.data)) found.push({text: node.data.trim().slice(0, 120), hit, where: where(el)});
  }
  for (const el of document.body.querySelectorAll('[aria-label],[placeholder],[title],img[alt]')) {
    if (el.closest(skip) || !sameLang(el) || !visible(el)) continue;
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (!value) continue;
      for (const hit of english(value)) found.push({text: `[${name}] ${value.slice(0, 100)}`, hit, where: where(el)});
    }
  }
  return found;
}
"""
SINGLE_ENGLISH = [
    "Save",
    "Edit",
    "Delete",
    "Cancel",
    "Search",
    "Next",
    "Previous",
    "Back",
    "Submit",
    "Close",
    "Export",
    "Download",
    "Filter",
    "Apply",
    "Reset",
    "Remove",
    "Add",
    "Show",
    "Hide",
    "More",
    "Less",
    "None",
    "Yes",
    "No",
    "Status",
    "Title",
    "Name",
    "Date",
    "Country",
    "Budget",
    "Summary",
    "Description",
    "Actions",
    "Projects",
]

LINKS_JS = r"""
() => {
  const out = {links: [], fetches: []};
  for (const a of document.querySelectorAll('a[href]')) {
    const target = a.hasAttribute('download') ? out.fetches : out.links;
    target.push(a.href);
  }
  for (const el of document.querySelectorAll('[hx-get]')) out.fetches.push(new URL(el.getAttribute('hx-get'), document.baseURI).href);
  for (const form of document.querySelectorAll('form')) {
    if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') continue;
    if (form.closest('dialog') || form.hasAttribute('hx-get')) { /* still a GET the page offers */ }
    const action = new URL(form.getAttribute('action') || document.location.href, document.baseURI);
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const [k, v] of data) if (typeof v === 'string') params.append(k, v);
    action.search = params.toString();
    out.links.push(action.href);
  }
  return out;
}
"""

OVERFLOW_JS = r"""
() => {
  const root = document.scrollingElement || document.documentElement;
  const width = window.innerWidth;
  if (root.scrollWidth <= width + 1) return null;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && el.checkVisibility()) {
      // the outermost element that sticks out, whose parent does not
      const p = el.parentElement && el.parentElement.getBoundingClientRect();
      if (!p || p.right <= width + 1) {
        culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                      (el.classList.length ? '.' + [...el.classList].join('.') : '') + ` (right edge ${Math.round(r.right)}px)`);
      }
    }
    if (culprits.length >= 4) break;
  }
  return {scrollWidth: root.scrollWidth, width, culprits};
}
"""


# Collections whose members share one template: /countries/KZ/ and /countries/UZ/ are one pattern.
SLUGS = re.compile(r"^(/\{lang\}/(?:countries|trade|fields|bodies|workplan)/)(?!methods/|propose/|new/)[^/]+/")
SLUG_FILES = re.compile(r"^(/calendar/)[^/]+(\.ics)$")


def pattern(url: str) -> str:
    """/ko/projects/12/?page=2&q=x → /{lang}/projects/{id}/?page&q; /en/countries/KZ/ → /{lang}/countries/{key}/"""
    parts = urlsplit(url)
    path = re.sub(r"^/(en|ko|ru)(?=/)", "/{lang}", parts.path)
    path = NUMBER.sub("{id}", path)
    path = SLUGS.sub(r"\1{key}/", path)
    path = SLUG_FILES.sub(r"\1{key}\2", path)
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(names) if names else "")


class _Offers(HTMLParser):
    """What a page offers, read from its HTML without rendering it: links, hx-get and GET forms with
    their default values (the same as LINKS_JS computes in the browser)."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base, self.links, self.fetches = base, [], []
        self.form = None  # [action, params, select name, first option, selected option]
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"])
        if tag == "a" and a.get("href") is not None:
            (self.fetches if "download" in a else self.links).append(urljoin(self.base, a["href"]))
        if a.get("hx-get"):
            self.fetches.append(urljoin(self.base, a["hx-get"]))
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.form = (
                {"action": urljoin(self.base, a.get("action") or self.base), "params": []} if method == "get" else None
            )
        if self.form is None:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.form["params"].append((a["name"], a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self.select = {"name": a["name"], "first": None, "chosen": None, "multiple": "multiple" in a, "all": []}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.select["all"].append(value)
                self.select["chosen"] = self.select["chosen"] if self.select["chosen"] is not None else value
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            s = self.select
            if s["multiple"]:
                self.form["params"] += [(s["name"], v) for v in s["all"]]
            elif s["chosen"] is not None or s["first"] is not None:
                self.form["params"].append((s["name"], s["chosen"] if s["chosen"] is not None else s["first"]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form["params"].append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            parts = urlsplit(self.form["action"])
            self.links.append(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(self.form["params"]), "")))
            self.form = None


def offers(html: str, base: str) -> dict:
    parser = _Offers(base)
    parser.feed(html)
    parser.close()
    return {"links": parser.links, "fetches": parser.fetches}


@dataclass
class Problem:
    who: str
    lang: str
    url: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.who}/{self.lang}] {self.url}: {self.problem}"


@dataclass
class Crawl:
    """One visitor (a browser context, signed in or not) in one language.

    ``rendered`` is shared between crawls of the same language: a pattern already rendered by an
    earlier visitor is only fetched over HTTP (status checked, offers read from the HTML), which
    keeps the walk complete for every role while each page kind is rendered once per language.
    """

    context: object
    base: str
    who: str
    lang: str
    per_pattern: int = 2
    max_pages: int = 150
    check_english: bool = True
    check_overflow: bool = False
    render_pages: bool = True  # False: a discovery walk (kinds_reached): pages over HTTP, no downloads
    rendered: set = field(default_factory=set)
    problems: list = field(default_factory=list)
    visited: list = field(default_factory=list)  # every page opened or fetched as a page
    renders: list = field(default_factory=list)  # the pages this crawl rendered
    fetched: int = 0
    seconds: float = 0.0

    def __post_init__(self):
        self.host = urlsplit(self.base).netloc
        self.counts: Counter = Counter()
        self.seen: set = set()
        self.current = ""
        self.pending = 0
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self._add(self.current, f"uncaught exception: {exc}"))
        self.page.on("request", self._request)
        self.page.on("requestfinished", self._done)
        self.page.on("requestfailed", self._done)
        self.page.on("response", self._response)
        self.page.route(lambda url: not self._local(url), self._block)

    # --- listeners ---------------------------------------------------------------------------------

    def _add(self, url: str, problem: str) -> None:
        self.problems.append(Problem(self.who, self.lang, self._short(url), problem))

    def _short(self, url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit(("", "", parts.path, parts.query, "")) if parts.netloc == self.host else url

    def _local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.hostname in ("127.0.0.1", "localhost") and parts.netloc == self.host

    def _block(self, route, request) -> None:
        self._add(self.current, f"request to a non-local host: {request.url}")
        route.abort()

    def _console(self, message) -> None:
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and (source == self.current or not self._local(source)):
            return  # the page's own status, or a blocked outside request: reported already
        self._add(self.current, f"console error: {message.text} ({self._short(source)})")

    def _request(self, request) -> None:
        self.pending += 1

    def _done(self, request) -> None:
        self.pending = max(0, self.pending - 1)

    def _response(self, response) -> None:
        request = response.request
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            return  # judged by visit()
        if response.status >= 400:
            self._add(self.current, f"{response.status} for {request.resource_type} {self._short(response.url)}")

    # --- crawling ----------------------------------------------------------------------------------

    def _wanted(self, url: str) -> str | None:
        """The URL to visit (fragment dropped), or None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            return None
        path = parts.path
        if any(rule.search(path) for rule in NEVER):
            return None
        if re.match(r"^/(en|ko|ru)/", path) and not path.startswith(f"/{self.lang}/"):
            return None  # each language has its own crawl
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))

    def _take(self, url: str) -> bool:
        if url in self.seen:
            return False
        key = pattern(url)
        if self.counts[key] >= self.per_pattern:
            return False
        if "/admin/" in key and sum(v for k, v in self.counts.items() if "/admin/" in k) >= ADMIN_PAGES:
            return False
        self.seen.add(url)
        self.counts[key] += 1
        return True

    @staticmethod
    def _is_download(url: str) -> bool:
        path = urlsplit(url).path
        return path.endswith(DOWNLOAD_SUFFIXES) or path.startswith("/api/") or "/jsi18n/" in path

    def fetch(self, url: str, offered_by: str) -> None:
        """Check a download or an htmx fragment by its status only."""
        self.fetched += 1
        try:
            response = self.context.request.get(url, max_redirects=5, timeout=60_000)
        except Exception as exc:  # noqa: BLE001 - any failure is a finding
            self._add(offered_by, f"fetching {self._short(url)} failed: {exc}")
            return
        if response.status >= 400:
            self._add(offered_by, f"offers {self._short(url)}, which answers {response.status}")
        response.dispose()

    def _status(self, url: str, status: int, offered_by: str | None) -> None:
        if status >= 500 or (status >= 400 and offered_by):
            where = f" (offered by {self._short(offered_by)})" if offered_by else ""
            self._add(url, f"answers {status}{where}")

    def settle(self) -> None:
        """Wait for requests started after load (htmx fragments, charts), at most 5 s."""
        deadline = time.monotonic() + 5
        while self.pending and time.monotonic() < deadline:
            self.page.wait_for_timeout(40)

    def look(self, url: str, offered_by: str | None) -> dict:
        """Fetch a page kind that is rendered already: status, and what it offers."""
        self.visited.append(url)
        try:
            response = self.context.request.get(url, max_redirects=5, timeout=60_000)
        except Exception as exc:  # noqa: BLE001
            self._add(url, f"could not fetch: {str(exc).splitlines()[0]}")
            return {"links": [], "fetches": []}
        self._status(url, response.status, offered_by)
        html = response.text() if "text/html" in response.headers.get("content-type", "") else ""
        final = response.url
        response.dispose()
        return offers(html, final) if html else {"links": [], "fetches": []}

    def render(self, url: str, offered_by: str | None) -> dict:
        """Open a page in the browser and check it; return what it offers."""
        self.current = url
        self.visited.append(url)
        self.renders.append(url)
        self.rendered.add(pattern(url))
        nothing = {"links": [], "fetches": []}
        try:
            response = self.page.goto(url, wait_until="load")
        except Exception as exc:  # noqa: BLE001
            if "Download is starting" in str(exc) or "ERR_ABORTED" in str(exc):
                self.fetch(url, offered_by or url)
                return nothing
            self._add(url, f"could not open: {str(exc).splitlines()[0]}")
            return nothing
        status = response.status if response else 0
        self._status(url, status, offered_by)
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            return nothing
        self.settle()
        found = self.page.evaluate(LINKS_JS)
        page_lang = (self.page.evaluate("() => document.documentElement.lang") or "").split("-")[0]
        if status < 400 and re.match(rf"^/{self.lang}/", urlsplit(url).path) and page_lang != self.lang:
            self._add(url, f"a /{self.lang}/ address shows a page in “{page_lang}” ({self._short(self.page.url)})")
        if self.check_english and self.lang != "en" and page_lang == self.lang and status < 400:
            self.page.evaluate(
                "() => document.querySelectorAll('details:not([open])').forEach((d) => { d.open = true; })"
            )
            for hit in self.page.evaluate(ENGLISH_JS, [PROPER, SINGLE_ENGLISH]):
                self._add(url, f"English text “{hit['hit']}” in “{hit['text']}” at {hit['where']}")
        if self.check_overflow:
            overflow = self.page.evaluate(OVERFLOW_JS)
            if overflow:
                self._add(
                    url,
                    f"{overflow['scrollWidth']}px wide on a {overflow['width']}px screen; "
                    f"sticking out: {', '.join(overflow['culprits']) or '?'}",
                )
        return found

    def visit(self, url: str, offered_by: str | None) -> dict:
        if self._is_download(url):
            if self.render_pages:  # a discovery walk only wants the pages
                self.fetch(url, offered_by or url)
            return {"links": [], "fetches": []}
        if not self.render_pages or pattern(url) in self.rendered:
            return self.look(url, offered_by)
        return self.render(url, offered_by)

    def run(self, start: str = "") -> Crawl:
        """Walk from the language's home page."""
        began = time.monotonic()
        start_url = urljoin(self.base, start or f"/{self.lang}/")
        queue: deque = deque([(start_url, None)])
        self._take(start_url)
        while queue and len(self.visited) < self.max_pages:
            url, offered_by = queue.popleft()
            found = self.visit(url, offered_by)
            for target in found["fetches"]:
                target = self._wanted(target)
                if target and self._take(target) and self.render_pages:
                    self.fetch(target, url)
            for link in found["links"]:
                target = self._wanted(link)
                if target and self._take(target):
                    queue.append((target, url))
        self.seconds += time.monotonic() - began
        return self

    def render_all(self, urls: list[str]) -> Crawl:
        """Render pages found by a crawl in another language (offered there, so a 4xx is a finding)."""
        began = time.monotonic()
        for url in urls:
            if urlsplit(url).path.startswith(f"/{self.lang}/") and pattern(url) not in self.rendered:
                self.render(url, offered_by=url)
        self.seconds += time.monotonic() - began
        return self

    def close(self) -> None:
        self.page.close()


def in_language(url: str, lang: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=re.sub(r"^/(en|ko|ru)/", f"/{lang}/", parts.path)))


def login(context, base: str, username: str, password: str) -> None:
    """Sign in through the form (the suite turns the Secretariat's two-factor step off)."""
    page = context.new_page()
    page.goto(f"{base}/en/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url or "/accounts/2fa/" in page.url:
        raise AssertionError(f"could not sign in as {username}: ended on {page.url}")
    page.close()


def report(problems: list[Problem]) -> str:
    """Group repeated problems (the same text on many pages) under their first page."""
    grouped: dict = defaultdict(list)
    for p in problems:
        grouped[(re.sub(r" \(offered by [^)]*\)", "", p.problem))].append(p)
    lines = []
    for items in sorted(grouped.values(), key=lambda items: (items[0].url, items[0].who, items[0].lang)):
        first = items[0]
        where = sorted({f"{p.who}/{p.lang}" for p in items})
        more = f" (and {len(items) - 1} more: {', '.join(where)})" if len(items) > 1 else ""
        lines.append(f"- {first.url} [{first.who}/{first.lang}]: {first.problem}{more}")
    return "\n".join(lines)


# --- the crawler tests' shared driver (test_crawler*.py: one file per group of visitors, so that
# pytest-xdist's --dist=loadfile can run them on different workers) ------------------------------

PASSWORD = "serai-demo"
LOCALES = {"en": "en-GB", "ko": "ko-KR", "ru": "ru-RU"}
# The visitors in crawl order; the first two render every page kind they reach (they reach the most
# kinds), the others mostly reach kinds those two rendered already.
RENDERING_ROLES = [None, "staff"]
OTHER_ROLES = ["fp-kz", "fp-uz", "econ", "nu-editor"]


def new_context(browser, lang: str, **options):
    return browser.new_context(
        locale=LOCALES[lang], viewport=options.pop("viewport", {"width": 1280, "height": 900}), **options
    )


def crawl_limits() -> dict:
    return {
        "per_pattern": int(os.environ.get("SERAI_CRAWL_PER_PATTERN", "2")),
        "max_pages": int(os.environ.get("SERAI_CRAWL_MAX_PAGES", "150")),
    }


def kinds_reached(browser, base: str, roles: list) -> set:
    """The page kinds (patterns) the given visitors reach in English, walked over HTTP only (no
    rendering): the kinds their own crawl renders, in test_crawler.py. Another file's visitors then
    render only the kinds outside this set, as they did when every visitor was crawled in one test."""
    kinds: set = set()
    for who in roles:
        context = new_context(browser, "en")
        if who:
            login(context, base, who, PASSWORD)
        walk = Crawl(context, base, who or "anonymous", "en", render_pages=False, **crawl_limits()).run()
        walk.close()
        context.close()
        kinds |= {pattern(url) for url in walk.visited}
    return kinds


def crawl_every_language(browser, base: str, roles: list, rendered_before: set = frozenset()) -> list:
    """Each visitor walks the English site, rendering page kinds not rendered before; the kinds a
    visitor rendered are then rendered in Korean and Russian. Returns the problems found."""
    problems = []
    rendered = {lang: set(rendered_before) for lang in LANGS}
    began = time.monotonic()
    for who in roles:
        context = new_context(browser, "en")
        if who:
            login(context, base, who, PASSWORD)
        english = Crawl(context, base, who or "anonymous", "en", rendered=rendered["en"], **crawl_limits()).run()
        crawls = [english] + [
            Crawl(context, base, english.who, lang, rendered=rendered[lang]).render_all(
                [in_language(url, lang) for url in english.renders]
            )
            for lang in ("ko", "ru")
        ]
        for crawl in crawls:
            crawl.close()
            problems += crawl.problems
            print(
                f"{crawl.who:>10}/{crawl.lang}: {len(crawl.visited):3d} pages ({len(crawl.renders)} rendered), "
                f"{crawl.fetched:3d} downloads/fragments, {crawl.seconds:5.1f} s, {len(crawl.problems)} problems",
                flush=True,
            )
        context.close()
    print("crawl: %.0f s" % (time.monotonic() - began))
    if os.environ.get("SERAI_CRAWL_PATTERNS"):
        print("\n".join(sorted(rendered["en"] - set(rendered_before))))
    if os.environ.get("SERAI_CRAWL_REPORT"):  # a file for the full list (outside the repository)
        with open(os.environ["SERAI_CRAWL_REPORT"], "a", encoding="utf-8") as out:
            out.write(report(problems) + "\n")
    return problems

"""Moodle's text formats ([html], [moodle], [plain], [markdown]) turned into what the exam page renders.

The exam page (and every other page showing an item) puts item text into the DOM as text, with line breaks
kept (`white-space: pre-line`), never as HTML. So the tags it renders are only those whose meaning is a line
break: paragraphs, breaks, list items, headings, table rows. HTML from Moodle is sanitised by Ammonia (nh3)
down to those tags, with no attributes and with script/style content dropped, and then laid out as text:
each of them ends a line, a list item starts with a bullet, entities are decoded. Markdown is first made HTML
(Python-Markdown), as Moodle does. `[plain]` is kept as written.

Moodle's own default for GIFT text without a marker is its "Moodle auto-format": HTML allowed, line breaks
kept. Gramota reads unmarked text the same way, and writes `[plain]` before any text that this reading
would change (a literal `<b>` or `&amp;` in a question), so its own exports read back unchanged.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown as _markdown
import nh3

FORMATS = ("html", "moodle", "plain", "markdown")
# The tags the exam page renders (as line breaks): what the sanitiser keeps of Moodle's HTML.
LINE_TAGS = frozenset({"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
                       "blockquote", "pre"})
_MARKER = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.I)


def split_marker(text: str) -> tuple[str, str]:
    """('html', rest) for '[html]rest'; ('moodle', text) when there is no marker (Moodle's default)."""
    m = _MARKER.match(text)
    if not m:
        return "moodle", text
    return m.group(1).lower(), text[m.end():]


class _Text(HTMLParser):
    """Lays sanitised HTML out as text: each LINE_TAGS element ends a line; whitespace collapses as HTML does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.pre = 0

    def _break(self) -> None:
        line = "".join(self.current)
        self.lines.append(line if self.pre else " ".join(line.split()))
        self.current = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":
            self._break()
        elif tag in LINE_TAGS:
            if "".join(self.current).strip():
                self._break()
            if tag == "li":
                self.current.append("• ")
            if tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in LINE_TAGS and tag != "br":
            if "".join(self.current).strip():
                self._break()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def text(self) -> str:
        self.close()
        if self.current:
            self._break()
        lines = [line.rstrip() for line in self.lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    clean = nh3.clean(html, tags=set(LINE_TAGS), attributes={}, strip_comments=True)
    parser = _Text()
    parser.feed(clean)
    return parser.text()


def to_text(text: str, fmt: str) -> str:
    """The text of one GIFT field in the given format, as the exam page shows it."""
    if fmt == "plain":
        return text.strip()
    if fmt == "markdown":
        return html_to_text(_markdown.markdown(text))
    if fmt == "moodle":  # Moodle auto-format: HTML, and its line breaks are breaks
        return html_to_text(text.replace("\r\n", "\n").replace("\n", "<br>"))
    return html_to_text(text)


def read(text: str) -> str:
    """A GIFT field (already unescaped) with its optional format marker, as plain text."""
    fmt, rest = split_marker(text)
    return to_text(rest, fmt)


def needs_plain_marker(text: str) -> bool:
    """Whether text written without a marker would read back different (so it is written as [plain])."""
    return bool(text) and to_text(text, "moodle") != text.strip()

"""Reading gettext catalogues and the strings the sources mark, without GNU gettext, and the
words a reader meets on a page: the support of tests/test_catalogues.py.

A .po file is read by a small reader of its own. The marked strings are extracted as makemessages
would: templates through Django's own templatize() (what makemessages feeds to xgettext), then the
gettext calls in that code, or in a Python source, found with tokenize.
"""

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
APPS = ["newsroom", "articles", "people", "workflow", "desk"]
CATALOGUES = sorted(ROOT.glob("*/locale/ar/LC_MESSAGES/django.po"))
# Latin words that are names, not English: an Arabic interface may print them as they are.
LATIN_TOKENS = {"RSS", "Atom", "API", "JSON", "URL", "HTML", "IPTC", "ninjs", "OpenAPI", "ID"}
# What makemessages scans, and where it does not look.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
NOT_SOURCES = {"static", "locale", "__pycache__"}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    def __str__(self):
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header is the entry with the empty msgid)."""
    entries, entry, current, flags = [], None, None, set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line, obsolete = raw.strip(), raw.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # an obsolete message's previous msgid
                continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if not line or (line.startswith("#") and not obsolete):
            continue
        if line.startswith('"'):
            current.append(ast.literal_eval(line))
            continue
        keyword, _space, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and (
            entry is None or entry.msgstr or keyword == "msgctxt"
        ):
            entry = Entry(flags=flags, obsolete=obsolete)
            entries.append(entry)
            flags = set()
        current = [ast.literal_eval(value)]
        if keyword.startswith("msgstr"):
            entry.msgstr.append(current)
        else:
            setattr(entry, keyword, current)
    for entry in entries:
        for name in ("msgid", "msgctxt", "msgid_plural"):
            if isinstance(getattr(entry, name), list):
                setattr(entry, name, "".join(getattr(entry, name)))
        entry.msgstr = ["".join(parts) for parts in entry.msgstr]
    return entries


def messages(path: Path) -> list[Entry]:
    return [e for e in read_po(path) if e.msgid and not e.obsolete]


def translated(path: Path) -> list[Entry]:
    """The messages with every form translated (the others fail the test saying so)."""
    return [e for e in messages(path) if all(e.msgstr)]


def header(path: Path) -> Entry:
    return next(e for e in read_po(path) if not e.msgid and not e.obsolete)


# The gettext functions makemessages tells xgettext about, and the arguments that are messages.
KEYWORDS = {
    **dict.fromkeys(["gettext", "gettext_lazy", "gettext_noop", "_"], ("msgid",)),
    **dict.fromkeys(["ngettext", "ngettext_lazy"], ("msgid", "msgid_plural")),
    **dict.fromkeys(["pgettext", "pgettext_lazy"], ("msgctxt", "msgid")),
    **dict.fromkeys(["npgettext", "npgettext_lazy"], ("msgctxt", "msgid", "msgid_plural")),
}
SKIPPED_TOKENS = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


def _string_argument(tokens, i):
    """The literal (implicitly concatenated) string starting at tokens[i], and where it ends."""
    parts = []
    while i < len(tokens) and tokens[i].type == tokenize.STRING:
        try:
            value = ast.literal_eval(tokens[i].string)
        except ValueError:  # an f-string: xgettext skips it too
            return None, i
        if not isinstance(value, str):
            return None, i
        parts.append(value)
        i += 1
    return ("".join(parts) if parts else None), i


def marked_in_code(code: str) -> set[tuple]:
    """(msgctxt, msgid, msgid_plural) of each gettext call with literal arguments in `code`."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(code).readline)
        if t.type not in SKIPPED_TOKENS
    ]
    found = set()
    for i, token in enumerate(tokens[:-1]):
        names = KEYWORDS.get(token.string) if token.type == tokenize.NAME else None
        if not names or tokens[i + 1].string != "(" or (i and tokens[i - 1].string == "def"):
            continue
        values, j = {}, i + 2
        for name in names:
            values[name], j = _string_argument(tokens, j)
            if values[name] is None or tokens[j].string not in (",", ")"):
                break
            j += 1
        else:
            found.add((values.get("msgctxt"), values["msgid"], values.get("msgid_plural")))
    return found


def sources(app: str):
    for path in sorted((ROOT / app).rglob("*")):
        parts = set(path.relative_to(ROOT / app).parts)
        if path.suffix in SOURCE_SUFFIXES and not parts & NOT_SOURCES and path.is_file():
            yield path


def marked_in_app(app: str) -> set[tuple]:
    found = set()
    for path in sources(app):
        text = path.read_text(encoding="utf-8")
        found |= marked_in_code(text if path.suffix == ".py" else templatize(text, origin=path))
    return found


def placeholders(text: str) -> list[str]:
    """%-style and brace-style placeholders (gettext's python-brace-format flag is not always
    set: a message whose placeholders are only "{}" or that breaks across lines goes without)."""
    text = text.replace("%%", "").replace("{{", "").replace("}}", "")
    named = set(re.findall(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|\{[A-Za-z_]\w*\}", text))
    positional = re.findall(r"%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|\{\d*\}", text)
    return sorted(named) + sorted(positional)


def english_words(text: str) -> list[str]:
    """Latin words of two letters or more, outside tags, placeholders and the allowed tokens."""
    text = re.sub(r"<[^>]*>|%\([^)]+\)\w|%\w|\{\w*\}", " ", text)
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in LATIN_TOKENS]


SPOKEN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class VisibleText(HTMLParser):
    """What a reader sees or hears of a page: its text, the words of the attributes a screen
    reader speaks and of the meta description; not scripts (JSON-LD), styles, other attribute
    values, or an element in another language (lang="en": the link "Read in English")."""

    def __init__(self):
        super().__init__()
        self.open, self.words = [], []

    def hidden(self):
        return any(hidden for _tag, hidden in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        hidden = tag in ("script", "style") or (lang is not None and not lang.startswith("ar"))
        if not (hidden or self.hidden()):
            self.words += [v for k, v in attrs.items() if k in SPOKEN_ATTRIBUTES and v]
            if tag == "meta" and attrs.get("name") == "description":
                self.words.append(attrs.get("content", ""))
        if tag not in VOID:
            self.open.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self.hidden():
            self.words.append(data)


def english_on(html: str, content=()) -> list[str]:
    """The English words a reader meets on a page, but for those of its `content` (the Latin
    words the test itself wrote into the stories)."""
    parser = VisibleText()
    parser.feed(html)
    return [w for w in english_words(" ".join(parser.words)) if w not in content]

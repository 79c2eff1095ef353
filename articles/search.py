"""Ranked full-text search over published articles, in each database's own engine.

One interface (`search()`), two engines:
- SQLite: the FTS5 table `articles_article_fts`, ranked with bm25() and column weights,
  snippets from snippet().
- PostgreSQL: the weighted `search_vector` column (GIN-indexed), websearch query syntax,
  ts_rank and SearchHeadline.
Readers' results are ranked over a bounded set of candidates, the newest headline matches and the
newest matches anywhere, so a word in every story costs what a rare one does (searchrank.py).
Both index the same columns, kept in step by triggers (migrations 0002, 0006, 0015): headline
(weighs most), standfirst, keywords (theme names, people and organizations mentioned or quoted,
quotes' words) and byline, then the plain-text body and the dateline.

`Search.within()` is the desk's search: every article of a queryset that matches, whatever its
status, as a filter (the last word's prefix matches too, as editors type it).

Arabic: both engines index folded text (newsroom/arabic.py) and fold the query the same way, so
vowel marks, alef forms, taa marbuta, alef maqsura or an attached article never hide a word;
SQLite with `newsroom_fold()`, a Python function every connection is given (searchindex.py),
PostgreSQL with the SQL function of that name (migration 0015), and its `arabic` configuration
for Arabic articles.
Readers search their own edition (`Search.language`); the desk, every article in its language.

Snippets come back from the database as plain text with two private marker characters around the
matches; `highlight()` escapes everything and only then turns the markers into <mark> elements, so
no article text is ever trusted as HTML.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVectorField
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import render
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from newsroom import editions
from newsroom.arabic import excerpt, fold

from . import searchrank
from .models import Article
from .searchrank import Candidate, RankedHits

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
START, STOP = "\x02", "\x03"
# Weights for bm25(): headline, standfirst, keywords, body, byline, dateline, and the language,
# which only says which edition an article is in (migration 0015).
SQLITE_WEIGHTS = (10.0, 4.0, 4.0, 1.0, 4.0, 1.0, 0.0)
# SearchRank's weights are for D, C, B, A: body is C, standfirst and keywords B, headline A.
POSTGRES_WEIGHTS = [0.05, 0.2, 0.5, 1.0]
SNIPPET_WORDS = 30
# PostgreSQL's text-search configuration for each edition's articles (migration 0015).
CONFIGS = {editions.ENGLISH: "english", editions.ARABIC: "arabic"}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A quoted phrase, or a run of anything but spaces; a minus sign leading either excludes it.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)', re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
# Words joined by a hyphen or an apostrophe ("Al-Sonbaty", "child-trafficking") stand together.
_COMPOUND = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def clean_query(text: str) -> tuple[str, bool]:
    """The query as we will search it, and whether it had to be shortened."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text or ""))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0], True
    return text, False


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    excluded: bool = False

    def fts5(self) -> str:
        # Every term is a quoted FTS5 string, so no user input is read as FTS5 syntax.
        return '"' + " ".join(self.words) + '"'


def parse(text: str) -> tuple[list[Term], list[Term]]:
    """Web-search syntax: words, "quoted phrases", -excluded words. Everything else is ignored.
    The words are folded (newsroom/arabic.py), as the index is."""
    wanted, excluded = [], []
    for match in _TOKEN.finditer(fold(text)):
        minus, phrase, run = match.groups()
        if run is None:
            groups = [tuple(_WORD.findall(phrase))]
        else:
            # Only a leading minus excludes; one inside a word joins it ("Al-Sonbaty").
            minus = "-" if run.startswith("-") else ""
            groups = [tuple(_WORD.findall(g)) for g in _COMPOUND.findall(run)]
        for words in groups:
            if words and words != ("OR",):
                (excluded if minus else wanted).append(Term(words))
    return wanted[:MAX_TERMS], excluded[:MAX_TERMS]


def highlight(snippet: str) -> SafeString:
    """Escape a snippet, then mark the matches. Only our own markers become HTML."""
    escaped = str(conditional_escape(snippet or ""))
    return SafeString(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


@dataclass
class Search:
    """A reader's query. `results` is ranked, published-only, in the `language` edition;
    `add_snippets` fills one page."""

    text: str
    language: str = editions.ENGLISH
    truncated: bool = False
    wanted: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @classmethod
    def from_input(cls, raw: str, language: str | None = None) -> "Search":
        """The search typed into `language`'s edition (the request's, unless named)."""
        text, truncated = clean_query(raw)
        wanted, excluded = parse(text)
        language = language or editions.current()
        return cls(text, language, truncated=truncated, wanted=wanted, excluded=excluded)

    @property
    def is_searchable(self) -> bool:
        return bool(self.wanted)

    def published(self) -> QuerySet:
        """What a reader may find: the published articles of the search's edition."""
        return Article.objects.published().in_edition(self.language)

    @property
    def engine(self):
        return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()

    def results(self) -> QuerySet:
        if not self.is_searchable:
            return Article.objects.none()
        return self.engine.ranked(self)

    def within(self, queryset: QuerySet) -> QuerySet:
        """The articles of `queryset` that match, whatever their status (the desk's search), in
        the queryset's own order. The last word also matches the start of a longer one."""
        if not self.is_searchable:
            return queryset.none()
        return self.engine.within(self, queryset)

    def prefixes(self):
        """Each wanted term, with "*" on the last one if it may be half typed (3+ letters)."""
        last = len(self.wanted) - 1
        for i, term in enumerate(self.wanted):
            yield term, "*" if i == last and len(term.words[-1]) >= 3 else ""

    def add_snippets(self, articles) -> None:
        """Set `article.snippet` (safe HTML) on the articles of one page, in one query."""
        articles = list(articles)
        snippets = self.engine.snippets(self, [a.pk for a in articles]) if articles else {}
        for article in articles:
            article.snippet = highlight(snippets.get(article.pk) or article.standfirst)


def in_text(query: str) -> str:
    """An FTS5 query on every column but `language`: the word "en" is not in every story."""
    return "- {language} : (" + query + ")"


class SqliteEngine:
    """FTS5 finds and scores the candidates (articles/searchrank.py), newest first in its own
    rowid order, and stops there: bm25() runs on the candidates only."""

    table = "articles_article_fts"

    def match(self, search: Search, headline=False) -> str:
        """The query in the search's edition (a column of the index: FTS5 itself leaves the
        other edition's matches out); with `headline`, every wanted term in the headline."""
        wanted = " AND ".join(term.fts5() for term in search.wanted)
        query = f'language : "{search.language}" AND '
        query += "{headline} : (" + wanted + ")" if headline else in_text(wanted)
        for term in search.excluded:
            query += " NOT " + in_text(term.fts5())
        return query

    def within(self, search: Search, queryset: QuerySet) -> QuerySet:
        # A subquery SQLite runs once, into a temporary index of ids. "id + 0" keeps the planner
        # from looking each match up by id and sorting them all (95,000 for a common word): it
        # walks the list's own order instead and stops at the page (300 ms to 25 at 100,000).
        query = in_text(" AND ".join(term.fts5() + prefix for term, prefix in search.prefixes()))
        for term in search.excluded:
            query += " NOT " + in_text(term.fts5())
        sql = f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s"  # noqa: S608
        matches = RawSQL(sql, [query])  # noqa: S611 (the query is a parameter)
        return queryset.alias(match_id=F("id") + 0).filter(match_id__in=matches)

    def ranked(self, search: Search) -> RankedHits:
        return RankedHits(lambda: self.candidates(search))

    def candidates(self, search: Search) -> tuple[list[Candidate], bool]:
        # "ORDER BY rowid DESC LIMIT n" lets FTS5 stop after n matches, and bm25() runs only on
        # the rows it returns; each set is materialized so that stays true whatever the planner.
        # Each match is checked against published() as FTS5 finds it, one primary-key lookup,
        # so unpublished articles take no candidate's place. julianday(): a sortable number.
        table, limit = self.table, searchrank.CANDIDATES
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        visible, visible_params = search.published().order_by().values("pk").query.sql_with_params()
        newest = (
            f"SELECT rowid AS id, -bm25({table}, {weights}) AS score FROM {table} "  # noqa: S608
            f"WHERE {table} MATCH %s AND EXISTS "
            f"(SELECT 1 FROM ({visible}) visible WHERE visible.pk = {table}.rowid) "
            "ORDER BY rowid DESC LIMIT %s"
        )
        sql = (
            f"WITH headline AS MATERIALIZED ({newest}), anywhere AS MATERIALIZED ({newest}) "  # noqa: S608
            "SELECT found.id, found.in_headline, found.score, julianday(art.published_at) FROM "
            "(SELECT id, 1 AS in_headline, score FROM headline "
            "UNION ALL SELECT id, 0, score FROM anywhere) found "
            "JOIN articles_article art ON art.id = found.id"
        )
        params = [self.match(search, headline=True), *visible_params, limit]
        params += [self.match(search), *visible_params, limit + 1]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        more = sum(1 for row in rows if not row[1]) > limit
        # A headline match is scored on its headline (the column filter's bm25), whichever set
        # found it, so the headline matches compare among themselves.
        in_headline = {row[0] for row in rows if row[1]}
        rows = [row for row in rows if row[1] or row[0] not in in_headline]
        return [Candidate(*row) for row in rows], more

    def snippets(self, search: Search, ids: list[int]) -> dict[int, str]:
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, snippet({self.table}, 3, %s, %s, '…', {SNIPPET_WORDS}) "  # noqa: S608
            f"FROM {self.table} WHERE {self.table} MATCH %s AND rowid IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [START, STOP, self.match(search), *ids])
            return dict(cursor.fetchall())


class PostgresEngine:
    """The candidates (articles/searchrank.py) come from the GIN-indexed `search_vector` and,
    for the headline set, the headline's own `headline_vector` (migration 0013, a column only
    PostgreSQL has), each indexed per edition (`edition_vector`); only they are ranked with
    ts_rank."""

    def query(self, search: Search) -> SearchQuery:
        config = CONFIGS[search.language]
        return SearchQuery(self.query_text(search), search_type="websearch", config=config)

    def wanted(self, search: Search) -> SearchQuery:
        """The query without its excluded words."""
        text = self.query_text(search, excluded=False)
        return SearchQuery(text, search_type="websearch", config=CONFIGS[search.language])

    def query_text(self, search: Search, excluded=True) -> str:
        words = [" ".join(term.words) for term in search.wanted]
        text = " ".join(f'"{w}"' if " " in w else w for w in words)
        if not excluded:
            return text
        text += "".join(
            f' -"{" ".join(t.words)}"' if len(t.words) > 1 else f" -{t.words[0]}"
            for t in search.excluded
        )
        return text

    def within(self, search: Search, queryset: QuerySet) -> QuerySet:
        # Raw tsquery syntax, for prefixes (websearch has none); terms are \w+ words only.
        def phrase(term, prefix):
            return "(" + " <-> ".join(term.words) + (":*" if prefix else "") + ")"

        text = " & ".join(phrase(term, bool(prefix)) for term, prefix in search.prefixes())
        text += "".join(f" & !{phrase(term, False)}" for term in search.excluded)
        # Each article is matched in its own language's configuration, as it was indexed (the
        # index on the whole column, scanned once per edition).
        matches = Q()
        for language, config in CONFIGS.items():
            query = SearchQuery(text, search_type="raw", config=config)
            matches |= Q(language=language, search_vector=query)
        return queryset.filter(matches)

    def ranked(self, search: Search) -> RankedHits:
        return RankedHits(lambda: self.candidates(search))

    def candidates(self, search: Search) -> tuple[list[Candidate], bool]:
        limit, query = searchrank.CANDIDATES, self.query(search)
        published = (
            search.published()
            .order_by("-pk")
            .values("pk")
            .alias(
                vector=edition_vector("search_vector", search.language),
                headline=edition_vector("headline_vector", search.language),
            )
        )
        headline = published.filter(headline=self.wanted(search))
        if search.excluded:  # left out of the whole article, not only of its headline
            headline = headline.filter(vector=query)
        headline = headline[:limit]
        anywhere = published.filter(vector=query)[: limit + 1]
        headline_sql, headline_params = headline.query.sql_with_params()
        anywhere_sql, anywhere_params = anywhere.query.sql_with_params()
        weights = ", ".join(str(w) for w in POSTGRES_WEIGHTS)
        sql = (
            f"WITH headline AS MATERIALIZED ({headline_sql}), "  # noqa: S608 (our own SQL)
            f"anywhere AS MATERIALIZED ({anywhere_sql}) "
            "SELECT id, id IN (SELECT pk FROM headline), "
            f"ts_rank('{{{weights}}}'::float4[], search_vector, "
            "websearch_to_tsquery(%s::regconfig, %s)), "
            "extract(epoch FROM published_at)::float8, "
            "(SELECT count(*) FROM anywhere) "
            "FROM articles_article "
            "WHERE id IN (SELECT pk FROM headline UNION SELECT pk FROM anywhere)"
        )
        # Ranked on the wanted words only: ts_rank scores any query with "!" terms near zero.
        params = [*headline_params, *anywhere_params, CONFIGS[search.language]]
        params.append(self.query_text(search, excluded=False))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        more = bool(rows) and rows[0][4] > limit
        return [Candidate(*row[:4]) for row in rows], more

    def snippets(self, search: Search, ids: list[int]) -> dict[int, str]:
        if search.language == editions.ARABIC:
            return self.folded_snippets(search, ids)
        headline = SearchHeadline(
            "body_text",
            self.query(search),
            config=CONFIGS[search.language],
            start_sel=START,
            stop_sel=STOP,
            max_words=SNIPPET_WORDS,
            min_words=15,
            fragment_delimiter=" … ",
            max_fragments=2,
        )
        rows = Article.objects.filter(pk__in=ids).annotate(snippet=headline)
        return dict(rows.values_list("pk", "snippet"))

    def folded_snippets(self, search: Search, ids: list[int]) -> dict[int, str]:
        """ts_headline() would look for the query's folded words in the text as written
        ("البَشَرُ" was indexed as "بشر"): excerpt() marks the words whose folded form matches."""
        rows = Article.objects.filter(pk__in=ids).values_list("pk", "body_text")
        words = [word for term in search.wanted for word in term.words]
        return {
            pk: excerpt(body, words, start=START, stop=STOP, size=SNIPPET_WORDS)
            for pk, body in rows
        }


def edition_vector(column: str, language: str) -> RawSQL:
    """The article's `column` vector if it is in `language`'s edition, else NULL: the expression
    of that edition's GIN index (migration 0015), which has the edition's own statistics."""
    if language not in CONFIGS:
        raise ValueError(f"No edition {language!r}")
    table = Article._meta.db_table
    sql = f"CASE WHEN {table}.language = '{language}' THEN {table}.{column} END"
    return RawSQL(sql, [], output_field=SearchVectorField())  # noqa: S611 (our own words)


RESULTS_PER_PAGE = 10


def search_view(request):
    """/search/?q=...: ranked results with highlighted snippets; odd input gets a helpful page."""
    raw = request.GET.get("q", "")
    search = Search.from_input(raw)
    page = None
    if search.is_searchable:
        page = Paginator(search.results(), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        search.add_snippets(page.object_list)
    return render(
        request,
        "articles/search_results.html",
        {"search": search, "query": search.text, "page_obj": page, "asked": bool(raw.strip())},
    )

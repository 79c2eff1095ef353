"""Ranking a search over a bounded set of candidates, so a word in every story costs what a rare
one does (issue 14).

Scoring every match before taking the first page made a common word ("children" is in nine
stories of ten) cost one bm25() or ts_rank() per article, and counting them another pass. So each
engine gathers at most two sets of candidates, both newest first (by id: FTS5's rowid order and
the primary key's, which is the order articles are written in):
- the newest `CANDIDATES` published articles whose headline matches the whole query, and
- the newest `CANDIDATES` + 1 published articles that match anywhere
(published: `Article.objects.published()`, checked as the matches are found, so drafts take no
candidate's place).
Only those are scored and ordered: headline matches first, then by score, then the most recently
published, then the newest written. The one extra match in the second set only tells whether
older matches were left out (`RankedHits.more`), so the page can say so instead of counting them.

Both sets have the same bound for a reason: a headline match among the newest matches is always
among the headline candidates too (`CANDIDATES` newer headline matches would have pushed it out of
the newest matches), so "headline first" holds for every result shown, and an old story whose
headline matches still comes before a newer one that only mentions the words.
"""

from dataclasses import dataclass

from .models import Article

# Per set: at most 2 x 250 + 1 results (about 50 pages), however common the query's words.
CANDIDATES = 250


@dataclass(frozen=True)
class Candidate:
    pk: int
    in_headline: bool
    score: float  # higher is better, comparable only within one query and one tier
    published: float  # the publication time as a number (its unit is the engine's)


def rank(candidates) -> list[int]:
    """The ids in the order readers see them."""
    ordered = sorted(candidates, key=lambda c: (not c.in_headline, -c.score, -c.published, -c.pk))
    return [c.pk for c in ordered]


class RankedHits:
    """The ranked candidates of one query: countable and sliceable for Paginator, gathered once.

    `gather` returns the candidates and whether more articles match than were gathered.
    """

    def __init__(self, gather):
        self.gather = gather
        self.bound = CANDIDATES
        self._ids = None
        self._more = False

    @property
    def ids(self) -> list[int]:
        if self._ids is None:
            candidates, self._more = self.gather()
            self._ids = rank(candidates)
        return self._ids

    @property
    def more(self) -> bool:
        """Whether more than `bound` articles match, so older matches may be left out: the
        page then says so rather than counting them all."""
        return bool(self.ids) and self._more

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Article]:
        ids = self.ids[window]
        articles = Article.objects.in_bulk(ids)
        return [articles[pk] for pk in ids if pk in articles]

"""No lost edits: a save based on an older version of the article is refused.

(Filled in by the conflict-detection work: ConflictCheckMixin for ArticleAdmin.)
"""


class ConflictCheckMixin:
    """For ArticleAdmin: every change form carries the version it was loaded at."""

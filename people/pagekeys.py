"""The page-cache keys of the people's and organizations' indexes (newsroom/invalidation/keys.py):
the views here show them, and the edits that change them say so (articles/invalidation.py)."""

PEOPLE = "people"
ORGANIZATIONS = "organizations"

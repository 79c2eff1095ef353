"""The read-only content API, /api/v1/ (see urls.py)."""

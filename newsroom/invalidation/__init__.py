"""Which cached pages an edit makes stale, decided in the database (see keys.py)."""

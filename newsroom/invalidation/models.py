"""The two tables that say what changed when (see keys.py)."""

from django.db import models


class Clock(models.Model):
    """One row: a counter advanced by every batch of changes. A page remembers the count it was
    rendered at; a key changed at a later count makes it stale."""

    seq = models.BigIntegerField(default=0)
    # Made when the row is: a clock started again (a flushed database) never looks like the old.
    epoch = models.CharField(max_length=32)

    class Meta:
        db_table = "invalidation_clock"

    def __str__(self):
        return f"change {self.seq}"


class Key(models.Model):
    """A surrogate key ("article:12", "theme-list:3", ...) and the clock's count when what it
    names last changed. A key never changed has no row."""

    name = models.CharField(max_length=200, primary_key=True)
    changed = models.BigIntegerField()

    class Meta:
        db_table = "invalidation_key"

    def __str__(self):
        return f"{self.name} (changed at {self.changed})"

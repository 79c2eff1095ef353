"""Editing sessions: who else has a story open (presence), and autosave of unsaved work.

(Filled in by the presence and autosave work: EditingSessionMixin for ArticleAdmin.)
"""


class EditingSessionMixin:
    """For ArticleAdmin: presence on the change form and the changelist, autosave and restore."""

"""Which query parameters a cached page depends on: the ones its view reads, and no others.

A cache keyed on the full URL can be flooded: `/?utm_source=junk1`, `junk2`, ... each make an
entry and push real pages out, and tracking parameters split one page into thousands. Nobody has
to list what each view reads: the page cache (newsroom/pagecache.py) renders a page with a
request holding only the parameters known to matter, records every name the view asks for
(`RecordingQueryDict`), and keeps the names with the entry. A stored page is served only to a
request that agrees with it on every parameter its rendering read (present or absent), so a
forgotten or newly read parameter can never serve the wrong page: it costs a render instead.

A view that looks at all parameters at once (iterates them, encodes them) reads "*": its pages
are keyed on the whole query string, as before.
"""

from django.http import QueryDict

EVERYTHING = "*"


class RecordingQueryDict(QueryDict):
    """An immutable QueryDict that remembers the names it was asked for, in `asked`."""

    def __init__(self, query_string="", encoding=None):
        self.asked = set()
        super().__init__(query_string, encoding=encoding)
        self.asked = set()  # filling itself in asked too

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)


def _reads_everything(name):
    method = getattr(QueryDict, name)

    def whole(self, *args, **kwargs):
        self.asked.add(EVERYTHING)
        return method(self, *args, **kwargs)

    whole.__name__ = name
    return whole


for _name in (
    "__iter__", "__len__", "keys", "values", "items", "lists", "dict", "urlencode", "copy",
    "__copy__", "__deepcopy__",
):  # fmt: skip
    setattr(RecordingQueryDict, _name, _reads_everything(_name))


def restricted(query: QueryDict, names) -> str:
    """`query` cut down to `names` (all of it for EVERYTHING), as a canonical query string:
    names sorted, each name's values in their order."""
    if EVERYTHING in names:
        names = set(dict.keys(query))
    kept = QueryDict(mutable=True)
    for name in sorted(set(names) & set(dict.keys(query))):
        kept.setlist(name, dict.__getitem__(query, name))
    return kept.urlencode()

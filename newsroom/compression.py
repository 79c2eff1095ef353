"""Cached public pages in gzip and Brotli, compressed once when stored, never per hit.

Only anonymous pages that the page cache stores are compressed (newsroom/pagecache.py): they hold
nothing secret, so compression cannot leak a secret through their size (BREACH). Pages for
signed-in staff are sent as they are.
"""

import gzip

import brotli

# Smaller than this, the headers cost more than compression saves.
MIN_BYTES = 256
# Best first: what a client accepting several gets.
ENCODINGS = ("br", "gzip")


def compressible(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media.startswith("text/") or media.endswith(("xml", "json"))


def compressed_forms(content: bytes, content_type: str) -> dict[str, bytes]:
    """{encoding: bytes} for a page worth compressing, else {}."""
    if len(content) < MIN_BYTES or not compressible(content_type):
        return {}
    return {
        "br": brotli.compress(content, quality=9),  # a page is compressed once, read many times
        "gzip": gzip.compress(content, compresslevel=9, mtime=0),
    }


def accepted(accept_encoding: str) -> set[str]:
    """The content codings an Accept-Encoding header accepts (q=0 refuses one)."""
    codings = set()
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        quality = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            refused = float(quality) == 0
        except ValueError:
            refused = False
        if name and not refused:
            codings.add(name.strip())
    return codings


def choose(accept_encoding: str, available) -> str | None:
    """The best coding of `available` the client accepts, or None for the page as it is."""
    codings = accepted(accept_encoding)
    return next((e for e in ENCODINGS if e in available and (e in codings or "*" in codings)), None)

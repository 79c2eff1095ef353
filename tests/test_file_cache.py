"""The file cache of one machine's workers (newsroom.cache.FileCache): what is stored comes
back, expires on time, and the folder is checked for room at most every few seconds, not on
every write."""

import pickle
import time
import zlib
from unittest import mock

import pytest

from newsroom.cache import FileCache


@pytest.fixture
def cache(tmp_path):
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})


def test_what_is_stored_comes_back_and_expires(cache):
    cache.set("page", {"content": b"<p>Hello</p>", "encoded": {"br": b"\x1b"}}, 60)
    assert cache.get("page") == {"content": b"<p>Hello</p>", "encoded": {"br": b"\x1b"}}
    cache.set("short", "x", 1)
    with mock.patch("time.time", return_value=time.time() + 5):
        assert cache.get("short") is None
    assert cache.get("missing", "default") == "default"


def test_touch_keeps_the_value_longer(cache):
    cache.set("page", "x", 1)
    assert cache.touch("page", 60) is True
    with mock.patch("time.time", return_value=time.time() + 5):
        assert cache.get("page") == "x"
    assert cache.touch("missing", 60) is False


def test_an_entry_in_djangos_own_compressed_format_is_a_miss(cache):
    cache.set("page", "new", 60)
    path = cache._key_to_file("page")
    with open(path, "wb") as f:
        f.write(pickle.dumps(time.time() + 60))
        f.write(zlib.compress(pickle.dumps("old")))
    assert cache.get("page") is None


def test_the_folder_is_checked_for_room_at_most_every_few_seconds(cache):
    with mock.patch("django.core.cache.backends.filebased.FileBasedCache._cull") as cull:
        for n in range(20):
            cache.set(f"key{n}", n, 60)
        assert cull.call_count == 1
        cache._culled_at -= FileCache.CULL_INTERVAL
        cache.set("one-more", 1, 60)
        assert cull.call_count == 2


def test_a_full_folder_is_culled(cache):
    for n in range(15):
        cache._culled_at = float("-inf")
        cache.set(f"key{n}", n, 60)
    assert len(cache._list_cache_files()) <= 10

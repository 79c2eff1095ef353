"""`make bench`: the public pages at 100,000 articles against the framework floor."""

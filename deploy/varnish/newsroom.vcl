vcl 4.1;

# The HTTP cache and load balancer in front of the app servers (README: "Running past one machine:
# the stack"). What it caches is what the app says may be cached (its Cache-Control); what it must
# never cache or serve from its cache is decided here, by the request: signed-in users, the admin,
# preview links and API calls with credentials. Edits purge by surrogate key (vmod xkey): the app
# sends `PURGE` with an `xkey-purge` header (newsroom/invalidation/purge.py).
#
# scripts/stack.py writes a copy of this file with the app servers' addresses and the purge secret
# filled in: @@APP_A_PORT@@, @@APP_B_PORT@@, @@PURGE_SECRET@@.

import directors;
import std;
import xkey;

# /healthz answers 503 when the app server cannot reach its database: a backend is out after two
# failed probes of the last three (about two seconds) and back after two good ones.
probe healthz {
    .url = "/healthz";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend app_a {
    .host = "127.0.0.1";
    .port = "@@APP_A_PORT@@";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

backend app_b {
    .host = "127.0.0.1";
    .port = "@@APP_B_PORT@@";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

# Purges are accepted from the app servers only: this address AND the shared secret.
acl purgers {
    "127.0.0.1";
}

sub vcl_init {
    new apps = directors.round_robin();
    apps.add_backend(app_a);
    apps.add_backend(app_b);
}

sub vcl_recv {
    set req.backend_hint = apps.backend();
    # The app believes X-Forwarded-Proto (prod.py's SECURE_PROXY_SSL_HEADER): a reader must not
    # be able to send it and have https links cached for everyone. This listener is plain HTTP;
    # behind a TLS terminator, that terminator sets the header and this line goes. (Varnish itself
    # appends the client's address to X-Forwarded-For: the app's TRUSTED_PROXY_HEADER.)
    unset req.http.X-Forwarded-Proto;

    if (req.method == "PURGE") {
        if (client.ip !~ purgers || req.http.X-Purge-Secret != "@@PURGE_SECRET@@") {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        # A hard purge: a soft one would leave the old page servable in grace.
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    # The secret never travels further than this cache.
    unset req.http.X-Purge-Secret;

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Never cached, never served from the cache: the desk, preview links (workflow/urls.py), API
    # calls with a key (articles/api/auth.py reads `Authorization: Api-Key ...`; an X-API-Key
    # header, which some clients send, is passed too), and anyone carrying a session or a CSRF
    # token (an editor's pages show drafts).
    if (req.url ~ "^/admin(/|$)" || req.url ~ "^(/ar)?/preview/") {
        return (pass);
    }
    if (req.http.Authorization || req.http.X-API-Key) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Other cookies (analytics) mean nothing to the app: dropped, so that every anonymous reader
    # shares one copy (the app sends Vary: Cookie).
    unset req.http.Cookie;

    # Stale pages only while no app server is healthy (grace mode); otherwise at most a few
    # seconds past their max-age while the new copy is fetched.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_fetch {
    # A retry (vcl_backend_error) goes to the other app server, not back to the one that just
    # failed: round robin, shared by every request, could pick it again.
    if (bereq.http.X-Failed-Backend == "app_a") {
        set bereq.backend = app_b;
    } elsif (bereq.http.X-Failed-Backend == "app_b") {
        set bereq.backend = app_a;
    }
    unset bereq.http.X-Failed-Backend;
}

sub vcl_backend_response {
    # What xkey purges by: the app's Surrogate-Key header ("article:12 articles all").
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # While an old copy is being refreshed, an error keeps the old copy instead of replacing it.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Kept only what the app calls public, with a lifetime, that sets no cookie. Anything else is
    # marked "hit-for-miss" for a minute: fetched again next time, never served from here.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-cache|no-store)"
        || beresp.http.Cache-Control !~ "(public|max-age)"
        || beresp.http.Vary == "*"
        || beresp.ttl <= 0s) {
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # Served stale for up to six hours when no app server can answer (database down, all killed).
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_backend_error {
    # An app server that died, before the probes noticed: the same GET once more, on the other.
    if (bereq.retries < 1 && !bereq.is_bgfetch && (bereq.method == "GET" || bereq.method == "HEAD")) {
        set bereq.http.X-Failed-Backend = beresp.backend.name;
        return (retry);
    }
    if (bereq.is_bgfetch) {
        return (abandon);
    }
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.http.Cache-Control = "no-store";
    set beresp.body = {"<!doctype html><title>Service unavailable</title><h1>Service unavailable</h1><p>The site is briefly unavailable. Please try again in a minute.</p>"};
    return (deliver);
}

sub vcl_deliver {
    # For tests and operators: whether this cache served the response.
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
    unset resp.http.xkey;
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.http.Cache-Control = "no-store";
    if (resp.status == 503) {
        set resp.http.Retry-After = "30";
    }
    set resp.body = resp.reason + {"
"};
    return (deliver);
}

"""The servers' settings for the two-server test's second store: Serai's own settings, with the shared
state in PostgreSQL instead of Redis (Django's database cache; sessions cached_db as with Redis).

The shared behaviour under test — a write on A seen on B, a login or a lockout on A holding on B, one
e-mail per notification — must not depend on which shared store holds the cache; this variant also
runs where no redis-server is installed."""

from serai.settings import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "serai_shared_cache",
        "KEY_PREFIX": "serai",
        "TIMEOUT": 600,
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

"""Alongside's settings with channels-redis's pub/sub channel layer instead of its list-based core layer.

Only for `bench/realtime.py --alongside-layer pubsub`, to measure what the layer alone changes; the app's own
settings are untouched. With the pub/sub layer a group message is one PUBLISH that each process receives once
and hands to its own sockets, instead of one list push per socket that each process pops back one by one.
Pub/sub does not keep a message for a process that is not listening at that moment: for Alongside that is a
lost doorbell, which the outbox and the per-client seq already recover (a socket reads the gap back).
"""

from alongside.settings import *  # noqa: F403
from alongside.settings import REDIS_URL, envstr

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": envstr("REDIS_PREFIX", "alongside")},
    }
}

"""What the gate counts in Redis (CKAN's connection): the calls of each token in the last
second (the rate limit) and the calls of each account per day (the 数据服务 page).

The rate limit is a sliding window: a sorted set per token of the times of its admitted calls,
trimmed, counted and added to by one Lua script, so two processes serving the same token at
once never both take the last place. Refused calls are not added: a client that keeps calling
too fast is served again as soon as its oldest admitted call is a second old.
"""

from __future__ import annotations

import datetime
import math
import time
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.yiyang.workdays import SHANGHAI

#: Seconds of the rate limit's window.
WINDOW = 1.0
#: The field of an account's counts with the time (UTC) of its last call.
LAST = "last"
#: Days the daily counts are kept.
KEPT_DAYS = 62

_ADMIT = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tostring(oldest[2])
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, math.ceil(window * 1000) + 1000)
return ''
"""


def _key(*parts: str) -> str:
    return ":".join((str(tk.config.get("ckan.site_id")), "yiyang", *parts))


def admit(token_id: str, limit: int, now: float | None = None) -> int:
    """Count a call of the token ``token_id``: 0 when it is admitted, else the whole number of
    seconds after which the next call will be (``Retry-After``, at least 1)."""
    if limit <= 0:
        return 0
    now = time.time() if now is None else now
    redis: Any = connect_to_redis()
    oldest = redis.eval(
        _ADMIT, 1, _key("service-rate", token_id), repr(now), repr(WINDOW), limit, uuid.uuid4().hex
    )
    if not oldest:
        return 0
    wait = float(oldest) + WINDOW - now
    return max(1, math.ceil(wait))


def today() -> datetime.date:
    return datetime.datetime.now(SHANGHAI).date()


def count_call(account_id: str, day: datetime.date | None = None) -> None:
    """One more call of the account today (China's date)."""
    key = _key("service-calls", account_id)
    redis: Any = connect_to_redis()
    pipe = redis.pipeline()
    pipe.hincrby(key, (day or today()).isoformat(), 1)
    pipe.hset(key, LAST, datetime.datetime.utcnow().isoformat())
    pipe.expire(key, KEPT_DAYS * 86400)
    pipe.execute()


def calls(account_ids: list[str], days: int = 7) -> dict[str, list[dict[str, Any]]]:
    """The calls of each account on each of the last ``days`` days (today last), as
    ``{account_id: [{"date": "YYYY-MM-DD", "calls": n}, …]}``."""
    if not account_ids:
        return {}
    last = today()
    dates = [(last - datetime.timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
    redis: Any = connect_to_redis()
    pipe = redis.pipeline()
    for account_id in account_ids:
        pipe.hmget(_key("service-calls", account_id), dates)
    answers = pipe.execute()
    return {
        account_id: [
            {"date": date, "calls": int(value or 0)}
            for date, value in zip(dates, values, strict=True)
        ]
        for account_id, values in zip(account_ids, answers, strict=True)
    }


def last_used(account_ids: list[str]) -> dict[str, str | None]:
    """The time (UTC, ISO) of each account's last call, or None."""
    if not account_ids:
        return {}
    redis: Any = connect_to_redis()
    pipe = redis.pipeline()
    for account_id in account_ids:
        pipe.hget(_key("service-calls", account_id), LAST)
    answers = pipe.execute()
    return {
        account_id: (value.decode() if isinstance(value, bytes) else value)
        for account_id, value in zip(account_ids, answers, strict=True)
    }

"""The simulated users of the load run (benchmarks/load.py, issue 17.3), a locustfile.

Not run on its own: benchmarks/load.py sets the catalog up, starts the portal and the job
worker, then runs ``locust -f benchmarks/load_users.py --headless`` with two variables:
``YIYANG_LOAD_PLAN`` (a JSON file: the reviewer's token, the units with their staff's API
tokens, the published entries) and ``YIYANG_LOAD_RESULT`` (where this writes its figures when
locust quits).

Every simulated user is a clerk of one unit (the units taken in turn) who also browses like
the public: each task is one thing a person does, picked at random by its weight (of 100):

====  ===========================================================================
  12  search page, anonymous: ``/dataset?q=…`` (a query of benchmarks/queries.yaml, a
      word of the entries' titles, or none)
   6  search page, logged in (the clerk's API token)
  10  ``package_search`` API with the portal's facets, anonymous
   5  ``package_search`` API with facets, logged in
  14  entry page ``/dataset/<id>``, anonymous
   6  entry page, logged in
   6  registration and submission: the unit's editor creates a draft entry with two 信息项
      and a linked resource (``package_create``) and submits it (``yiyang_review_submit``)
   6  review: the office's reviewer reads the queue (``yiyang_review_list``), passes an
      application waiting for the compliance review (``yiyang_subscription_check``) and
      decides a submitted entry: three in four approved, one returned with an opinion
      (``yiyang_review_approve`` / ``yiyang_review_return``)
   6  application: the unit's member applies for a published entry of another unit
      (``yiyang_subscription_create``)
   6  provider's decision: an admin of the unit reads the applications received
      (``yiyang_subscription_list``) and decides one waiting for it: two in three approved,
      one rejected with a reason (``yiyang_subscription_approve`` / ``_reject``)
   8  the to-do desk page ``/desk`` (logged in)
   5  the inbox: ``yiyang_notification_list`` (logged in)
====  ===========================================================================

Nobody races: an entry submitted, an application to check and an application to decide are
each taken from a queue by one user (greenlets of one process: taking is atomic), and each
unit applies for each entry at most once. So every response must succeed: a page with 200
(redirects not followed: a login page is a failure), an API call with 200 and ``success``.
A request whose keep-alive connection the server closed before answering is sent again once,
as a browser does, and counted (:class:`StaleConnectionRetry`).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import defaultdict, deque
from pathlib import Path
from typing import Any, Self

from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter
from sharing_load import AWAITS_PROVIDER, ENDED, _entry
from urllib3.util.retry import Retry

PLAN: dict[str, Any] = json.loads(Path(os.environ["YIYANG_LOAD_PLAN"]).read_text())
QUERIES: list[str] = PLAN["queries"]
FACETS = json.dumps(PLAN["facets"])
WAIT = [float(s) for s in os.environ.get("YIYANG_LOAD_WAIT", "2,5").split(",")]

UNITS: list[dict[str, Any]] = PLAN["units"]
#: entries shown on logged-in entry pages: those of the set-up and those approved in the run
ENTRY_NAMES: list[str] = [e["name"] for e in PLAN["entries"]]
#: entries an anonymous visitor may see (disclosed to the public, catalog-model §6)
PUBLIC_NAMES: list[str] = [e["name"] for e in PLAN["entries"] if e["scope"] == "public"]
#: entries submitted, waiting for the reviewer: (id, name)
SUBMITTED: deque[tuple[str, str]] = deque()
#: applications waiting for the office's compliance review: (id, providing unit)
TO_CHECK: deque[tuple[str, str]] = deque()
#: applications waiting for the provider, per providing unit
WAITING: dict[str, deque[str]] = defaultdict(deque)
#: per applicant unit, the entries of the other units it has not applied for yet
TARGETS: dict[str, Any] = {}
for _unit in UNITS:
    _theirs = [e for e in PLAN["entries"] if e["owner"] != _unit["id"]]
    random.Random(_unit["id"]).shuffle(_theirs)
    TARGETS[_unit["id"]] = iter(_theirs)
#: what the workflows did (printed by load.py beside the request figures)
DONE: dict[str, int] = defaultdict(int)
#: problems that are not a failed response (an application in an unexpected state)
PROBLEMS: list[str] = []
_users = itertools.count()
_drafts = itertools.count()
_reviews = itertools.count()
_decisions = itertools.count()
#: each user does every task once first, in this order (a short smoke run then exercises
#: every request type; benchmarks/load.py --first-round)
FIRST_ROUND = os.environ.get("YIYANG_LOAD_FIRST_ROUND") == "1"


class StaleConnectionRetry(Retry):
    """One retry of a request whose connection broke before any answer came, counted.

    gunicorn closes a keep-alive connection idle for ``keepalive`` seconds (5,
    ckanext/yiyang/serving/gunicorn_conf.py); a request sent on it at that moment gets no
    answer (a first 10-minute run: 13 in 2,811 requests, with waits of 2–5 s; with waits of
    4.8–5.2 s, 7 in 90 s, each ``Connection reset by peer`` or ``Remote end closed connection
    without response``). A browser sends such a request again on a new connection; so do these users, once,
    and the figures say how often. A request the server did process and then lost would, sent
    again, fail visibly (an entry or application made twice is refused)."""

    def increment(self, *args: Any, **kwargs: Any) -> Self:
        DONE["requests sent again (connection closed unanswered)"] += 1
        return super().increment(*args, **kwargs)


RETRY = StaleConnectionRetry(
    total=1,
    connect=1,
    read=1,
    status=0,
    other=0,
    allowed_methods=None,
    respect_retry_after_header=False,
)


class Clerk(HttpUser):
    """A clerk of one unit (its editor, admin and member tokens), who also browses anonymously
    and, for the office's steps, acts with the reviewer's token."""

    wait_time = between(WAIT[0], WAIT[1])

    def on_start(self) -> None:
        self.client.mount("http://", HTTPAdapter(max_retries=RETRY))
        number = next(_users)
        self.unit = UNITS[number % len(UNITS)]
        self.rng = random.Random(number)
        # each clerk is logged in as one of the unit's people
        self.own = self.unit[("member", "editor", "admin")[number % 3]]
        self.admin = self.unit["admin" if number % 2 else "admin2"]
        if FIRST_ROUND:
            for step in (
                *(self.register_and_submit, self.review, self.apply, self.decide),
                *(self.search_page_anonymous, self.search_page_logged_in),
                *(self.search_api_anonymous, self.search_api_logged_in),
                *(self.entry_page_anonymous, self.entry_page_logged_in),
                *(self.desk, self.inbox),
            ):
                step()

    # helpers

    def page(self, kind: str, path: str, token: str | None = None) -> None:
        headers = {"Authorization": token} if token else {}
        with self.client.get(
            path, headers=headers, name=kind, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {path} {_why(response)}")
            elif "</html>" not in response.text:
                response.failure(f"not a whole page: {path}")
            else:
                response.success()

    def api(self, kind: str, action: str, token: str | None, **data: Any) -> Any:
        headers = {"Authorization": token} if token else {}
        with self.client.post(
            f"/api/3/action/{action}", json=data, headers=headers, name=kind, catch_response=True
        ) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure(f"HTTP {response.status_code} {action}: {_why(response)}")
                return None
            if response.status_code != 200 or not body.get("success"):
                response.failure(
                    f"HTTP {response.status_code} {action}: {body.get('error')}"[:300]
                )
                return None
            response.success()
            return body["result"]

    def search(self, kind: str, token: str | None) -> None:
        query = self.rng.choice(QUERIES)
        headers = {"Authorization": token} if token else {}
        params = {"q": query, "rows": "20", "facet.field": FACETS}
        with self.client.get(
            "/api/3/action/package_search",
            params=params,
            headers=headers,
            name=kind,
            catch_response=True,
        ) as response:
            try:
                ok = response.status_code == 200 and response.json().get("success") is True
            except ValueError:
                ok = False
            if ok:
                response.success()
            else:
                response.failure(
                    f"HTTP {response.status_code} package_search q={query} {_why(response)}"
                )

    # browsing

    @task(12)
    def search_page_anonymous(self) -> None:
        self.page("search page (anonymous)", f"/dataset/?q={self.rng.choice(QUERIES)}")

    @task(6)
    def search_page_logged_in(self) -> None:
        self.page("search page (logged in)", f"/dataset/?q={self.rng.choice(QUERIES)}", self.own)

    @task(10)
    def search_api_anonymous(self) -> None:
        self.search("package_search API (anonymous)", None)

    @task(5)
    def search_api_logged_in(self) -> None:
        self.search("package_search API (logged in)", self.own)

    @task(14)
    def entry_page_anonymous(self) -> None:
        self.page("entry page (anonymous)", f"/dataset/{self.rng.choice(PUBLIC_NAMES)}")

    @task(6)
    def entry_page_logged_in(self) -> None:
        self.page("entry page (logged in)", f"/dataset/{self.rng.choice(ENTRY_NAMES)}", self.own)

    @task(8)
    def desk(self) -> None:
        self.page("desk page", "/desk", self.own)

    @task(5)
    def inbox(self) -> None:
        self.api("notification list (API)", "yiyang_notification_list", self.own, limit=20)

    # registration and review

    @task(6)
    def register_and_submit(self) -> None:
        n = next(_drafts)
        draft = _entry(self.unit["id"], f"{PLAN['tag']}-r", n)
        created = self.api(
            "draft create (package_create)", "package_create", self.unit["editor"], **draft
        )
        if created is None:
            return
        DONE["drafts"] += 1
        if self.api(
            "review submit", "yiyang_review_submit", self.unit["editor"], id=created["id"]
        ):
            DONE["submitted"] += 1
            SUBMITTED.append((created["id"], created["name"]))

    @task(6)
    def review(self) -> None:
        reviewer = PLAN["reviewer"]
        self.api("review queue (API)", "yiyang_review_list", reviewer, status="submitted")
        if TO_CHECK:
            sub_id, owner = TO_CHECK.popleft()
            checked = self.api(
                "compliance check",
                "yiyang_subscription_check",
                reviewer,
                id=sub_id,
                passed=True,
                opinion="负载测试：符合共享条件。",
            )
            if checked is not None:
                DONE["checked"] += 1
                self.route(checked, owner)
        if SUBMITTED:
            entry_id, name = SUBMITTED.popleft()
            # the 2nd, 6th, 10th… decision returns the entry (one in four, early in a short run)
            if next(_reviews) % 4 != 1:
                if self.api("review approve", "yiyang_review_approve", reviewer, id=entry_id):
                    DONE["approved"] += 1
                    ENTRY_NAMES.append(name)
            elif self.api(
                "review return",
                "yiyang_review_return",
                reviewer,
                id=entry_id,
                opinion="负载测试：请补充信息项的说明。",
            ):
                DONE["returned"] += 1

    # applications

    def route(self, sub: dict[str, Any], owner: str) -> None:
        """Queue an application for whoever acts on it next."""
        status = str(sub.get("status") or "")
        if status in AWAITS_PROVIDER:
            WAITING[owner].append(sub["id"])
        elif status in ENDED:
            DONE[f"ended {status}"] += 1
        elif status == "checking":
            TO_CHECK.append((sub["id"], owner))
        else:
            PROBLEMS.append(f"application {sub['id']} in state {status!r}")

    @task(6)
    def apply(self) -> None:
        entry = next(TARGETS[self.unit["id"]], None)
        if entry is None:
            DONE["no entry left to apply for"] += 1
            return
        sub = self.api(
            "application create",
            "yiyang_subscription_create",
            self.unit["member"],
            dataset_id=entry["id"],
            applicant_org=self.unit["id"],
            purpose="work_reference",
            purpose_detail="负载测试：核对业务数据。",
            basis="《政务数据共享条例》第十四条",
            scenario="负载测试：业务办理时核对数据。",
            scope_of_use="本单位内部业务使用",
            valid_until=PLAN["valid_until"],
        )
        if sub is not None:
            DONE["applications"] += 1
            self.route(sub, entry["owner"])

    @task(6)
    def decide(self) -> None:
        self.api(
            "applications received (API)",
            "yiyang_subscription_list",
            self.admin,
            scope="received",
            limit=50,
        )
        waiting = WAITING[self.unit["id"]]
        if not waiting:
            return
        sub_id = waiting.popleft()
        # the 2nd, 5th, 8th… decision is a refusal (one in three, early in a short run)
        if next(_decisions) % 3 != 1:
            if self.api(
                "application approve", "yiyang_subscription_approve", self.admin, id=sub_id
            ):
                DONE["applications approved"] += 1
        elif self.api(
            "application reject",
            "yiyang_subscription_reject",
            self.admin,
            id=sub_id,
            reason="负载测试：数据尚未整理完毕。",
        ):
            DONE["applications rejected"] += 1


def _why(response: Any) -> str:
    """What went wrong: the exception of a request that got no answer, or the answer."""
    return repr(response.error) if response.error else response.text[:200]


def _ms(value: float | None) -> float:
    return round(float(value or 0), 1)


@events.quitting.add_listener
def _write_result(environment: Any, **_kwargs: Any) -> None:
    """The figures of each request type, the errors and the workflows' counts, as JSON."""
    stats = environment.stats
    kinds = {}
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        kinds[entry.name] = {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "p50_ms": _ms(entry.get_response_time_percentile(0.5)),
            "p95_ms": _ms(entry.get_response_time_percentile(0.95)),
            "max_ms": _ms(entry.max_response_time),
        }
    errors = [
        f"{error.occurrences}× {error.name}: " + re.sub(r"\s+", " ", str(error.error))[:300]
        for error in stats.errors.values()
    ]
    result = {
        "kinds": kinds,
        "requests": stats.total.num_requests,
        "errors": stats.total.num_failures + len(PROBLEMS),
        "error_samples": (errors + PROBLEMS)[:20],
        "workflows": dict(sorted(DONE.items())),
        "left": {
            "submitted": len(SUBMITTED),
            "to_check": len(TO_CHECK),
            "waiting": sum(len(q) for q in WAITING.values()),
        },
    }
    Path(os.environ["YIYANG_LOAD_RESULT"]).write_text(json.dumps(result, ensure_ascii=False))

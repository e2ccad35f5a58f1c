"""Fixtures of the demand and subscription tests, shared with the forms' tests."""

from tests.demand.conftest import people, raise_demand  # noqa: F401
from tests.subscription.conftest import apply_fixture, world  # noqa: F401

from tests.demand.conftest import people, raise_demand  # noqa: F401

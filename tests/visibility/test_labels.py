"""The label functions of §6, as functions: no database, no index."""

from __future__ import annotations

import itertools

import pytest
from ckan import model

from ckanext.yiyang.visibility import labels, viewer
from ckanext.yiyang.visibility.labels import (
    GOVERNMENT,
    GOVERNMENT_READER,
    PUBLIC,
    REVIEWER,
    GovernmentReader,
    Labels,
    entry_labels,
    is_private,
)

STATES = ("active", "draft", "deleted")
REVIEW_STATES = (None, "draft", "submitted", "returned", "published", "withdrawn")
SCOPES = (None, "public", "partial", "internal", "undisclosed")


def expected(state: str, review_status: str | None, scope: str | None) -> set[str]:
    """§6 in labels: reviewers and the unit always; the rest only once published and live."""
    wanted = {REVIEWER, "member-unit-1"}
    if state == "active" and review_status == "published":
        if scope in ("public", "partial"):
            wanted.add(PUBLIC)
        elif scope == "internal":
            wanted.add(GOVERNMENT)
    return wanted


@pytest.mark.parametrize(
    "state,review_status,scope", list(itertools.product(STATES, REVIEW_STATES, SCOPES))
)
def test_entry_labels_for_every_state_and_scope(state, review_status, scope):
    extras = {"review_status": review_status, "disclosure_scope": scope}
    got = entry_labels(state, "unit-1", extras)
    assert set(got) == expected(state, review_status, scope)
    assert len(got) == len(set(got))


@pytest.mark.parametrize("review_status,scope", list(itertools.product(REVIEW_STATES, SCOPES)))
def test_private_unless_the_public_may_see_it(review_status, scope):
    public = review_status == "published" and scope in ("public", "partial")
    assert is_private(review_status, scope) is not public


def test_an_entry_without_unit_carries_the_reviewers_label_only():
    assert entry_labels("active", None, {}) == [REVIEWER]


def test_labels_of_a_package_object():
    package = model.Package(
        type="dataset",
        state="active",
        owner_org="unit-1",
        extras={"review_status": "published", "disclosure_scope": "internal"},
    )
    assert set(Labels().get_dataset_labels(package)) == {REVIEWER, "member-unit-1", GOVERNMENT}


def test_other_dataset_types_keep_ckans_labels():
    package = model.Package(type="showcase", state="active", private=False, owner_org="unit-1")
    assert Labels().get_dataset_labels(package) == ["public"]


def test_the_government_reader_holds_public_and_government_labels_only():
    reader = GovernmentReader()
    assert reader.name == reader.id == GOVERNMENT_READER
    assert not reader.is_anonymous and not reader.sysadmin and not reader.is_deleted()
    assert Labels().get_user_dataset_labels(reader) == [PUBLIC, GOVERNMENT]
    # it sees what every unit sees: published public, partial and internal entries, nothing else
    for review_status, scope in itertools.product(REVIEW_STATES, SCOPES):
        sees = bool(
            set(
                entry_labels(
                    "active", "unit-1", {"review_status": review_status, "disclosure_scope": scope}
                )
            )
            & {PUBLIC, GOVERNMENT}
        )
        assert sees is (
            review_status == "published" and scope in ("public", "partial", "internal")
        )


def test_the_government_reader_is_a_government_viewer():
    assert viewer.is_government(GOVERNMENT_READER)
    assert not viewer.is_government(None)
    assert not viewer.is_government("")


def test_viewing_as_sets_the_viewer_of_the_request_bound_hooks():
    assert viewer.current_user_name() is None
    with viewer.viewing_as("somebody"):
        assert viewer.current_user_name() == "somebody"
        with viewer.viewing_as(None):
            assert viewer.current_user_name() is None
        assert viewer.current_user_name() == "somebody"
    assert viewer.current_user_name() is None


def test_constants_of_the_rule():
    assert {"public", "partial"} == labels.OPEN_SCOPES
    assert ":" in GOVERNMENT_READER  # never the name of an account

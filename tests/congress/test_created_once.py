"""A congress's boards (one per kind) and delegations (one per code) are created once: a second
one, or a request that loses a race to the first (tests/congress/test_one_of.py on PostgreSQL),
gets a clear refusal on the field, not a database error."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dondoc.congress import services
from dondoc.congress.models import Board, BoardKind, Delegation, DelegationKind
from tests.congress.conftest import BEFORE


@pytest.fixture(autouse=True)
def _before_the_congress():
    with time_machine.travel(BEFORE, tick=False):
        yield


def _refused_with(error: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str | None]:
    field, (problem,) = next(iter(error.value.error_dict.items()))
    return field, problem.code


def test_a_second_board_of_one_kind_is_refused(secretary, congress):
    with pytest.raises(ValidationError) as error:
        services.board_create(secretary, congress, BoardKind.DOCUMENTS, "Tiểu ban Văn kiện 2", [])
    assert _refused_with(error) == ("kind", "board_exists")
    assert Board.objects.filter(congress=congress, kind=BoardKind.DOCUMENTS).count() == 1


def test_a_second_delegation_with_one_code_is_refused(secretary, congress):
    with pytest.raises(ValidationError) as error:
        services.delegation_create(secretary, congress, "HN", "Đoàn Hà Nội", 9)
    assert _refused_with(error) == ("code", "delegation_code_taken")
    assert Delegation.objects.filter(congress=congress, code="HN").count() == 1


def test_the_board_that_loses_the_race_gets_the_same_refusal(secretary, congress, monkeypatch):
    """Created by another request between the check and the insert: the constraint decides,
    and the loser is told what the check tells a later click."""
    real = Board.objects.filter

    def check_sees_nothing(*args, **kwargs):  # the winner had not committed at the check
        return real(*args, **kwargs).none()

    monkeypatch.setattr(Board.objects, "filter", check_sees_nothing)
    with pytest.raises(ValidationError) as error:
        services.board_create(secretary, congress, BoardKind.DOCUMENTS, "Tiểu ban Văn kiện 2", [])
    assert _refused_with(error) == ("kind", "board_exists")


def test_the_delegation_that_loses_the_race_gets_the_same_refusal(secretary, congress, monkeypatch):
    real = Delegation.objects.filter
    monkeypatch.setattr(Delegation.objects, "filter", lambda *a, **k: real(*a, **k).none())
    with pytest.raises(ValidationError) as error:
        services.delegation_create(
            secretary, congress, "HN", "Đoàn Hà Nội", 9, DelegationKind.PROVINCE
        )
    assert _refused_with(error) == ("code", "delegation_code_taken")

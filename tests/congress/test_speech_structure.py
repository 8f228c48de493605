"""The structure of speeches the leadership sets (cơ cấu tham luận): the secretariat records
it; the agenda page, where speeches are selected, shows the selection against it (total, each
topic, each kind of delegation's share) and warns before and after a choice that goes past it."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.congress import selectors, services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.services import SpeechData, StructureData
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
STRUCTURE = StructureData(
    total=3,
    topics=[("Chuyển đổi số", 1), ("Xây dựng Đảng", 1)],
    shares={"central": 34, "province": 66},
)


def _speech(secretary, congress, topic, code="HN", mode="oral", approve=True):
    speech = services.speech_register(
        secretary,
        congress,
        SpeechData(congress.sessions.get(), congress.delegations.get(code=code), topic, "", mode),
    )
    if approve:
        services.speech_decide(secretary, speech, "approve")
    return speech


@time_machine.travel(BEFORE, tick=False)
def test_the_selection_is_checked_against_total_topics_and_shares(congress, secretary):
    services.speech_structure_set(secretary, congress, STRUCTURE)
    _speech(secretary, congress, "chuyen doi so")  # the same topic, typed without accents
    _speech(secretary, congress, "Kinh tế tư nhân", "HUE")
    _speech(secretary, congress, "Văn hóa", "DBTW", mode="written")  # not read out: not counted
    _speech(secretary, congress, "Xây dựng Đảng", "DBTW", approve=False)

    check = selectors.speech_structure_check(congress)

    assert check is not None
    assert (check.total.target, check.total.selected, check.total.waiting) == (3, 2, 1)
    digital = check.topics["chuyen doi so"]
    assert (digital.selected, digital.gap) == (1, 0)
    party = check.topics["xay dung dang"]
    assert (party.selected, party.short, party.waiting) == (0, 1, 1)
    assert (check.shares["central"].target, check.shares["central"].selected) == (1, 0)
    assert (check.shares["province"].target, check.shares["province"].over) == (2, 0)
    assert check.other_topics == 1
    assert not check.met
    assert [x.label for x in check.full_for("Chuyển đổi số", "province")] == [
        "Chuyển đổi số",
        "Đảng bộ tỉnh, thành phố",
    ]


@time_machine.travel(BEFORE, tick=False)
def test_no_structure_set_means_no_check(congress, secretary):
    assert selectors.speech_structure_check(congress) is None
    page = client_for(secretary).get(reverse("congress:agenda", args=[congress.pk]))
    assert "Chưa ghi cơ cấu tham luận." in page.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_setting_it_again_replaces_it_and_each_setting_is_audited(congress, secretary):
    services.speech_structure_set(secretary, congress, STRUCTURE)
    services.speech_structure_set(secretary, congress, StructureData(5, [("Văn hóa", 2)]))
    check = selectors.speech_structure_check(congress)
    assert check is not None
    assert check.total.target == 5
    assert list(check.topics) == ["van hoa"]
    assert check.shares == {}
    entries = AuditEntry.objects.filter(action="speech_structure_set").order_by("pk")
    assert entries.count() == 2


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (StructureData(0), "total"),
        (StructureData(3, [("A", 2), ("B", 2)]), "topics"),
        (StructureData(3, [("Văn hóa", 1), ("van hoa", 1)]), "topics"),
        (StructureData(3, [(" ", 1)]), "topics"),
        (StructureData(3, [("A", 0)]), "topics"),
        (StructureData(3, shares={"central": 60, "province": 50}), "shares"),
        (StructureData(3, shares={"foreign": 10}), "shares"),
    ],
)
def test_a_structure_that_cannot_add_up_is_refused_and_nothing_is_written(
    congress, secretary, data, field
):
    with pytest.raises(ValidationError) as refused:
        services.speech_structure_set(secretary, congress, data)
    assert refused.value.error_dict[field][0].code == Code.STRUCTURE_INVALID
    assert selectors.speech_structure_check(congress) is None


@pytest.mark.parametrize("who", ["documents_member", "verifier", "office_user"])
def test_only_the_secretariat_records_the_structure_while_the_congress_is_open(
    congress, secretary, who, request
):
    user = request.getfixturevalue(who)
    with time_machine.travel(BEFORE, tick=False), pytest.raises(CongressActionRefused):
        services.speech_structure_set(user, congress, STRUCTURE)
    with time_machine.travel(AFTER, tick=False), pytest.raises(CongressActionRefused):
        services.speech_structure_set(secretary, congress, STRUCTURE)


@time_machine.travel(BEFORE, tick=False)
def test_the_reviewer_sets_it_on_the_agenda_page_and_is_warned_before_and_after_a_choice(
    congress, secretary
):
    client = client_for(secretary)
    url = reverse("congress:agenda", args=[congress.pk])
    client.post(
        reverse("congress:speech_structure", args=[congress.pk]),
        {"total": "3", "topics": "Chuyển đổi số | 1\nXây dựng Đảng | 1", "share_central": "34"},
    )
    _speech(secretary, congress, "Chuyển đổi số")
    waiting = _speech(secretary, congress, "Chuyển đổi số", "HUE", approve=False)

    page = client.get(url).content.decode()

    assert "Cơ cấu tham luận" in page
    assert "Còn thiếu 1" in page  # Xây dựng Đảng
    assert "Chọn thêm sẽ vượt cơ cấu: Chuyển đổi số (1/1)." in page
    decided = client.post(
        reverse("congress:speech_decide", args=[congress.pk, waiting.pk]),
        {"decision": "approve"},
        follow=True,
    ).content.decode()
    assert "Lựa chọn đã vượt cơ cấu tham luận: Chuyển đổi số (2/1)." in decided
    assert "Vượt 1" in decided
    bad = client.post(
        reverse("congress:speech_structure", args=[congress.pk]),
        {"total": "3", "topics": "Chuyển đổi số"},
        follow=True,
    ).content.decode()
    assert "ghi «chủ đề | số tham luận»" in bad


@time_machine.travel(BEFORE, tick=False)
def test_readers_see_the_check_but_not_the_form_and_the_api_gives_it(
    api, congress, secretary, office_user
):
    services.speech_structure_set(secretary, congress, STRUCTURE)
    _speech(secretary, congress, "Xây dựng Đảng", "DBTW")
    page = client_for(office_user).get(reverse("congress:agenda", args=[congress.pk]))
    assert "Việc chọn tham luận chưa đúng cơ cấu." in page.content.decode()
    assert "Ghi cơ cấu tham luận" not in page.content.decode()
    body = api(office_user).get(f"/api/v1/congress/{congress.pk}/agenda").json()
    assert body["structure"]["total"]["selected"] == 1
    assert [(t["label"], t["gap"]) for t in body["structure"]["topics"]] == [
        ("Chuyển đổi số", -1),
        ("Xây dựng Đảng", 0),
    ]
    assert body["structure"]["met"] is False


@time_machine.travel(BEFORE, tick=False)
def test_the_check_reads_in_the_same_queries_for_many_speeches(
    congress, secretary, django_assert_max_num_queries
):
    services.speech_structure_set(secretary, congress, STRUCTURE)
    client = client_for(secretary)
    _speech(secretary, congress, "Một")
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("congress:agenda", args=[congress.pk]))
    for i in range(20):
        _speech(secretary, congress, f"Chủ đề {i}", ("HN", "HUE", "DBTW")[i % 3], approve=i % 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("congress:agenda", args=[congress.pk])).status_code == 200

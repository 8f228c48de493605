"""`POST /api/v1/extract`: assisted entry proposes tasks from a text; nothing is saved.
`POST /api/v1/extract/aliases`: the office teaches it another name of a registered agency."""

import pytest

from dondoc.agencies.models import AgencyAlias
from dondoc.audit.models import AuditEntry
from dondoc.tracking.models import Task

TEXT = (
    "Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Thành ủy Hà Nội xây dựng đề án "
    "sắp xếp tổ chức bộ máy, hoàn thành trong tháng 12/2025."
)


def test_extract_proposes_lead_coordinators_deadline_span_and_confidence(
    api, office_user, lead_agency, other_agency
):
    text = f"Thông báo kết luận.\n{TEXT}"
    response = api(office_user).post("extract", {"text": text, "issued_on": "2025-05-01"})
    assert response.status_code == 200, response.content.decode()
    (proposal,) = response.json()["tasks"]
    assert proposal["lead"] == {"code": "BTCTW", "name": "Ban Tổ chức Trung ương"}
    assert proposal["lead_text"] == "Ban Tổ chức Trung ương"
    assert proposal["coordinating"] == [{"code": "HANOI", "name": "Thành ủy Hà Nội"}]
    assert proposal["deadline"] == {
        "kind": "month",
        "due_on": "2025-12-31",
        "text": "trong tháng 12/2025",
    }
    start, end = proposal["span"]
    assert text[start:end].startswith("Giao Ban Tổ chức Trung ương chủ trì")
    assert text[start:end].endswith("tháng 12/2025.")
    assert 0.5 < proposal["confidence"] <= 1
    assert not Task.objects.exists()


def test_extract_without_a_date_keeps_a_yearless_deadline_unresolved(api, office_user, lead_agency):
    text = "Ban Tổ chức Trung ương chủ trì rà soát quy định, báo cáo trước ngày 30/8."
    response = api(office_user).post("extract", {"text": text})
    assert response.status_code == 200, response.content.decode()
    (proposal,) = response.json()["tasks"]
    assert proposal["deadline"]["due_on"] is None
    assert proposal["deadline"]["text"] == "trước ngày 30/8"


def test_an_unregistered_lead_keeps_its_words_and_is_never_replaced(api, office_user, lead_agency):
    text = "Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính tham mưu phương án."
    response = api(office_user).post("extract", {"text": text, "issued_on": "2025-05-01"})
    (proposal,) = response.json()["tasks"]
    assert proposal["lead"] is None
    assert proposal["lead_text"] == "Sở Kế hoạch và Đầu tư"
    assert proposal["coordinating_text"] == ["Sở Tài chính"]
    assert proposal["confidence"] < 0.8


@pytest.mark.parametrize(
    "body",
    [{"text": ""}, {"issued_on": "2025-05-01"}, {"text": "x", "issued_on": "5/2025"}],
)
def test_extract_input_is_checked(api, office_user, body):
    response = api(office_user).post("extract", body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_a_taught_alias_resolves_the_lead_next_time(api, office_user, lead_agency):
    text = "Giao Ban TC TW chủ trì tổng kết công tác tổ chức, hoàn thành trong quý IV/2025."
    client = api(office_user)
    before = client.post("extract", {"text": text, "issued_on": "2025-05-01"}).json()["tasks"]
    assert before[0]["lead"] is None
    assert before[0]["lead_text"] == "Ban TC TW"

    taught = client.post("extract/aliases", {"text": "Ban TC TW", "agency": "BTCTW"})
    assert taught.status_code == 201, taught.content.decode()
    assert taught.json() == {
        "text": "Ban TC TW",
        "agency": {"code": "BTCTW", "name": "Ban Tổ chức Trung ương"},
    }
    alias = AgencyAlias.objects.get()
    assert (alias.agency, alias.created_by) == (lead_agency, office_user)
    assert AuditEntry.objects.filter(action="agency.alias").count() == 1

    after = client.post("extract", {"text": text, "issued_on": "2025-05-01"}).json()["tasks"]
    assert after[0]["lead"] == {"code": "BTCTW", "name": "Ban Tổ chức Trung ương"}
    again = client.post("extract/aliases", {"text": "ban tc tw", "agency": "BTCTW"})
    assert again.status_code == 201
    assert AgencyAlias.objects.count() == 1


def test_an_alias_of_another_agency_is_refused_in_vietnamese(
    api, office_user, lead_agency, other_agency
):
    client = api(office_user)
    assert client.post("extract/aliases", {"text": "TCTW", "agency": "BTCTW"}).status_code == 201
    refused = client.post("extract/aliases", {"text": "TCTW", "agency": "HANOI"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "alias_taken"
    assert "Ban Tổ chức Trung ương" in str(refused.json())
    unknown = client.post("extract/aliases", {"text": "Sở KH-ĐT", "agency": "NOPE"})
    assert unknown.status_code == 400
    assert AgencyAlias.objects.get().agency == lead_agency


@pytest.mark.parametrize("actor", ["leader", "lead_focal", "inspector"])
def test_only_the_office_teaches_aliases(request, api, lead_agency, actor):
    user = request.getfixturevalue(actor)
    response = api(user).post("extract/aliases", {"text": "Ban TC TW", "agency": "BTCTW"})
    assert response.status_code == 403
    assert not AgencyAlias.objects.exists()


def test_extract_returns_the_expected_products_in_the_order_the_text_gives(
    api, office_user, lead_agency
):
    text = (
        "Giao Ban Tổ chức Trung ương chủ trì xây dựng Đề án sắp xếp đơn vị sự nghiệp theo "
        "Kết luận số 121-KL/TW, trình Bộ Chính trị Tờ trình kèm dự thảo Quy định trong quý I/2026."
    )
    response = api(office_user).post("extract", {"text": text, "issued_on": "2025-11-20"})
    (proposal,) = response.json()["tasks"]
    assert proposal["products"] == ["đề án", "tờ trình", "quy định"]


def test_a_report_only_on_what_exceeds_authority_is_no_product(api, office_user, lead_agency):
    text = (
        "Ban Tổ chức Trung ương theo dõi, đôn đốc thực hiện; báo cáo cấp có thẩm quyền những "
        "vấn đề vượt thẩm quyền."
    )
    response = api(office_user).post("extract", {"text": text, "issued_on": "2025-11-20"})
    (proposal,) = response.json()["tasks"]
    assert proposal["products"] == []

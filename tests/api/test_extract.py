"""`POST /api/v1/extract`: assisted entry proposes tasks from a text; nothing is saved."""

import importlib
import importlib.util
import sys

import pytest

import dondoc.tracking
from dondoc.tracking.models import Task


def test_extract_returns_proposals_with_agencies_and_deadlines(api, office_user, extraction_stub):
    text = "Ban Tổ chức Trung ương chủ trì, phối hợp với Thành ủy Hà Nội xây dựng đề án, hoàn thành trong tháng 12/2025."
    response = api(office_user).post("extract", {"text": text, "issued_on": "2025-05-01"})
    assert response.status_code == 200, response.content.decode()
    first, second = response.json()["tasks"]
    assert first == {
        "sentence": text,
        "title": "Xây dựng đề án",
        "lead": {"code": "BTCTW", "name": "Ban Tổ chức Trung ương"},
        "coordinating": [{"code": "HANOI", "name": "Thành ủy Hà Nội"}],
        "deadline": {"kind": "month", "due_on": "2025-12-31", "text": "trong tháng 12/2025"},
        "lead_text": "",
    }
    assert (second["lead"], second["coordinating"], second["deadline"]) == (None, [], None)
    assert extraction_stub[0][1].isoformat() == "2025-05-01"
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"text": "", "issued_on": "2025-05-01"}, {"text": "x"}, {"text": "x", "issued_on": "5/2025"}],
)
def test_extract_input_is_checked(api, office_user, extraction_stub, body):
    response = api(office_user).post("extract", body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_extract_without_the_extraction_module_is_unavailable(api, office_user, monkeypatch):
    monkeypatch.setitem(sys.modules, "dondoc.tracking.extraction", None)
    monkeypatch.delattr(dondoc.tracking, "extraction", raising=False)
    response = api(office_user).post("extract", {"text": "x", "issued_on": "2025-05-01"})
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"


def real_extraction_ready() -> bool:
    if importlib.util.find_spec("dondoc.tracking.extraction") is None:
        return False
    module = importlib.import_module("dondoc.tracking.extraction")
    return hasattr(module, "extract_tasks") and hasattr(module, "AgencyMatcher")


@pytest.mark.skipif(not real_extraction_ready(), reason="dondoc.tracking.extraction not ready")
def test_extract_with_the_real_extractor(api, office_user, lead_agency, other_agency):
    text = (
        "Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Thành ủy Hà Nội xây dựng đề án "
        "sắp xếp tổ chức bộ máy, hoàn thành trong tháng 12/2025."
    )
    response = api(office_user).post("extract", {"text": text, "issued_on": "2025-05-01"})
    assert response.status_code == 200, response.content.decode()
    (proposal,) = response.json()["tasks"]
    assert proposal["lead"] == {"code": "BTCTW", "name": "Ban Tổ chức Trung ương"}
    assert proposal["coordinating"] == [{"code": "HANOI", "name": "Thành ủy Hà Nội"}]
    assert proposal["deadline"]["due_on"] == "2025-12-31"
    assert proposal["deadline"]["kind"] == "month"

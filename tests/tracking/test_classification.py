"""A task is never classified below its document or its working session (issue #11, item 5):
otherwise its page, lists, export and API show the classified document's number-symbol to
users not cleared for it."""

import datetime as dt
import importlib
import io

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.accounts.models import Clearance
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.api.services import token_create
from dondoc.tracking import services
from dondoc.tracking.models import DirectiveOpinion, Document, Task, WorkingSession
from tests.agencies.conftest import signed_in
from tests.api.conftest import ApiClient

SYMBOL = "12-NQ/TW"
DUE = dt.date(2026, 12, 31)
raise_to_source = importlib.import_module(
    "dondoc.tracking.migrations.0009_task_classification_at_least_source"
).raise_to_source


@pytest.fixture
def secret_document(office_user) -> Document:
    issuer = Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    return services.document_register(
        office_user, symbol=SYMBOL, issuing_body=issuer, issued_on=dt.date(2025, 3, 1),
        title="Về công tác bảo vệ chính trị nội bộ", classification=Clearance.CONFIDENTIAL,
    )  # fmt: skip


def _create(actor, document, **fields) -> Task:
    return services.task_create(
        actor, title="Rà soát hồ sơ", lead_agency=fields.pop("lead"), document=document,
        due_on=DUE, **fields,
    )  # fmt: skip


def test_a_task_takes_its_documents_classification_and_cannot_be_created_below_it(
    office_user, lead_agency, secret_document
):
    assert _create(office_user, secret_document, lead=lead_agency).classification == 1
    with pytest.raises(ValidationError) as refused:
        _create(office_user, secret_document, lead=lead_agency, classification=Clearance.NORMAL)
    [error] = refused.value.error_dict["classification"]
    assert error.code == "classification_below_source"
    assert refused.value.message_dict["classification"] == [
        "Độ mật của nhiệm vụ không được thấp hơn độ mật của văn bản "
        "hoặc buổi làm việc giao nhiệm vụ (Mật)."
    ]
    assert Task.objects.count() == 1


def test_a_task_cannot_be_edited_below_its_documents_classification(
    office_user, lead_agency, secret_document
):
    task = _create(office_user, secret_document, lead=lead_agency)
    with pytest.raises(ValidationError) as refused:
        services.task_update(
            office_user, task, version=task.version, classification=Clearance.NORMAL
        )
    assert refused.value.error_dict["classification"][0].code == "classification_below_source"
    task.refresh_from_db()
    assert task.classification == Clearance.CONFIDENTIAL


def test_the_api_refuses_a_task_below_its_document_naming_the_field(
    office_user, lead_agency, secret_document
):
    client = ApiClient(token_create(office_user, name="tests")[1])
    response = client.post("tasks", {
        "title": "Rà soát", "lead": "BTCTW", "document": secret_document.pk,
        "deadline_kind": "ongoing", "classification": 0,
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "classification_below_source"
    assert "classification" in response.json()["fields"]


def test_a_task_from_a_classified_working_session_is_classified_with_it(office_user, lead_agency):
    session = WorkingSession.objects.create(
        held_on=dt.date(2026, 10, 1), chair="Thường trực Ban Bí thư", topic="Nhân sự",
        classification=Clearance.SECRET,
    )  # fmt: skip
    opinion = DirectiveOpinion.objects.create(session=session, text="Giao rà soát quy hoạch.")
    task = services.task_create(
        office_user, title="Rà soát", lead_agency=lead_agency, opinion=opinion, due_on=DUE
    )
    assert task.classification == Clearance.SECRET
    with pytest.raises(ValidationError):
        services.task_update(office_user, task, version=task.version, classification=1)


def test_rows_stored_below_their_document_are_raised_by_the_migration(
    office_user, lead_agency, secret_document
):
    [lower] = Task.objects.bulk_create([Task(
        title="Ghi trước khi có quy tắc", lead_agency=lead_agency, document=secret_document,
        due_on=DUE, created_on=DUE, classification=Clearance.NORMAL,
    )])  # fmt: skip
    above = _create(office_user, secret_document, lead=lead_agency, classification=2)
    raise_to_source(apps, None)
    lower.refresh_from_db()
    above.refresh_from_db()
    assert (lower.classification, above.classification) == (1, 2)


def test_an_uncleared_focal_point_never_sees_the_classified_documents_symbol(
    office_user, lead_focal, lead_agency, secret_document
):
    with pytest.raises(ValidationError):  # created "thường" by mistake: refused
        _create(office_user, secret_document, lead=lead_agency, classification=Clearance.NORMAL)
    task = _create(office_user, secret_document, lead=lead_agency)
    with pytest.raises(ValidationError):  # edited down to "thường": refused
        services.task_update(office_user, task, version=task.version, classification=0)
    assert lead_focal.clearance == Clearance.NORMAL
    page = signed_in(lead_focal)
    assert page.get(reverse("tracking:task_detail", args=[task.pk])).status_code == 404
    listed = page.get(reverse("tracking:task_list"))
    assert listed.status_code == 200
    assert SYMBOL not in listed.text
    export = openpyxl.load_workbook(io.BytesIO(page.get(reverse("tracking:task_export")).content))
    assert [row[1] for row in export.active.iter_rows(min_row=2, values_only=True)] == []
    api = ApiClient(token_create(lead_focal, name="tests")[1])
    assert SYMBOL not in api.get("tasks").content.decode()
    assert api.get(f"tasks/{task.pk}").status_code == 404

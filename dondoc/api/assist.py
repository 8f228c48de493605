"""Assisted entry: propose tasks (lead, coordinators, deadline) from a document's text, and
teach the extraction the names the office uses for registered agencies."""

from django.http import HttpRequest
from ninja import Router, Status

from dondoc.agencies.services import agency_alias_teach
from dondoc.api.auth import caller
from dondoc.api.schemas import (
    AgencyAliasIn,
    AgencyAliasOut,
    AgencyOut,
    ExtractIn,
    ExtractOut,
    ProposedTaskOut,
)
from dondoc.api.tracking import agencies_by_code, errors, require_office
from dondoc.tracking.extraction import AgencyMatcher, extract_tasks

router = Router(tags=["assist"])


@router.post(
    "/extract",
    response={200: ExtractOut, **errors(403)},
    summary="Đề xuất nhiệm vụ từ văn bản (chưa lưu gì)",
)
def extract(request: HttpRequest, payload: ExtractIn) -> ExtractOut:
    require_office(caller(request))
    proposals = extract_tasks(payload.text, payload.issued_on, AgencyMatcher.from_database())
    return ExtractOut(
        tasks=[
            ProposedTaskOut.model_validate(proposal, from_attributes=True) for proposal in proposals
        ]
    )


@router.post(
    "/extract/aliases",
    response={201: AgencyAliasOut, **errors(400, 403)},
    summary="Dạy tên gọi khác của một cơ quan cho việc đề xuất nhiệm vụ",
)
def extract_alias(request: HttpRequest, payload: AgencyAliasIn) -> Status[AgencyAliasOut]:
    user = caller(request)
    require_office(user)
    [agency] = agencies_by_code([payload.agency], "agency")
    alias = agency_alias_teach(user, agency, payload.text)
    return Status(
        201, AgencyAliasOut(text=alias.text, agency=AgencyOut(code=agency.code, name=agency.name))
    )

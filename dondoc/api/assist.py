"""Assisted entry: propose tasks (lead, coordinators, deadline) from a document's text.

The extraction itself lives in `dondoc.tracking.extraction`; it is imported when first used.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from dondoc.api.auth import caller
from dondoc.api.schemas import ExtractIn, ExtractOut, ProposedTaskOut
from dondoc.api.tracking import errors, require_office

router = Router(tags=["assist"])

EXTRACTION_MODULE = "dondoc.tracking.extraction"


def _extraction() -> Any:
    try:
        from dondoc.tracking import extraction
    except ModuleNotFoundError as missing:
        if missing.name != EXTRACTION_MODULE:
            raise
        raise HttpError(503, "extraction unavailable") from missing
    if not all(hasattr(extraction, name) for name in ("AgencyMatcher", "extract_tasks")):
        raise HttpError(503, "extraction unavailable")  # still being written
    return extraction


@router.post(
    "/extract",
    response={200: ExtractOut, **errors(403, 503)},
    summary="Đề xuất nhiệm vụ từ văn bản (chưa lưu gì)",
)
def extract(request: HttpRequest, payload: ExtractIn) -> ExtractOut:
    require_office(caller(request))
    extraction = _extraction()
    proposals = extraction.extract_tasks(
        payload.text, payload.issued_on, extraction.AgencyMatcher.from_database()
    )
    return ExtractOut(
        tasks=[
            ProposedTaskOut.model_validate(proposal, from_attributes=True) for proposal in proposals
        ]
    )

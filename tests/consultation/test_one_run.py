"""One synthesis run at a time per draft: the database refuses a second."""

import pytest
from django.core.exceptions import ValidationError

from dondoc.consultation import services
from dondoc.consultation.models import RunStage, SynthesisRun

from .conftest import web


def test_a_second_start_while_a_run_is_going_is_refused(office_user, draft, open_round):
    first = services.synthesis_start(office_user, draft)  # its jobs never run: still going
    with pytest.raises(ValidationError) as refused:
        services.synthesis_start(office_user, draft)
    assert refused.value.code == "run_active"
    assert SynthesisRun.objects.filter(draft=draft).count() == 1
    page = web(office_user).post(f"/consultation/{draft.pk}/synthesis/")
    assert page.status_code == 409
    assert "chưa xong" in page.content.decode()
    SynthesisRun.objects.filter(pk=first.pk).update(stage=RunStage.FAILED)
    assert services.synthesis_start(office_user, draft).pk != first.pk

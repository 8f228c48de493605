"""Schemathesis fuzzes every operation of /api/v1/openapi.json with a real token of each role.

Valid and invalid requests (generated from the schema, then broken on purpose) must never make
a 5xx, and every answer must match the document: its status listed for the operation, its body
the declared schema, valid requests accepted and invalid ones refused. Three requests per
operation, mode and role (about 900 over the 50 operations) keep the cost down on
SQLite; FUZZ_EXAMPLES=40 FUZZ_ALL=1 searches harder (docs/security.md has the counts).
"""

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import ignored_auth, positive_data_acceptance

from dondoc.api.api import api
from dondoc.api.services import token_create

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# Every role sends valid requests; the two roles that write also send invalid ones (the
# read-only roles are refused before their bodies are read). FUZZ_ALL=1: every role, both.
ROLES = ["office_user", "lead_focal", "leader", "inspector"]
WRITERS = ["office_user", "lead_focal"]
RUNS = [(role, GenerationMode.POSITIVE) for role in ROLES] + [
    (role, GenerationMode.NEGATIVE) for role in (ROLES if os.environ.get("FUZZ_ALL") else WRITERS)
]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded_schema():
    """The document as /api/v1/openapi.json serves it, parsed once for the module."""
    document = api.get_openapi_schema(path_prefix="/api/v1")
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(document, default=str)))
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def schema(db, loaded_schema):
    """The app, called through WSGI inside the test's transaction."""
    # As Django's test client does: a request must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield loaded_schema
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(task, document, office_user) -> dict[str, int]:
    """Path parameters that name objects which exist, so deeper code runs too: a full-term
    program (its progress, deriving a year) stands for `program_id`."""
    from dondoc.programs.models import Body, ProgramKind, WorkProgram

    term = WorkProgram.objects.create(
        title="Chương trình làm việc toàn khóa", body=Body.POLITBURO, kind=ProgramKind.TERM,
        year=2026, end_year=2030,
    )  # fmt: skip
    return {"task_id": task.pk, "document_id": document.pk, "program_id": term.pk}


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_documented_operation_count_is_the_schemas(loaded_schema):
    """docs/security.md states how many operations the fuzzing covers: the schema's count."""
    text = (Path(__file__).parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    documented = re.search(r"\*\*(\d+) operations\*\*", text)
    assert documented is not None
    assert int(documented[1]) == len(operations(loaded_schema))


@pytest.mark.parametrize(("role", "mode"), RUNS)
def test_no_request_makes_a_server_error_or_breaks_the_schema(
    request, schema, real_ids, mode, role
):
    user = request.getfixturevalue(role)
    _token, secret = token_create(user, name="fuzz")
    headers = {"Authorization": f"Bearer {secret}"}
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for operation in operations(schema):
        own_ids = {
            name: value for name, value in real_ids.items() if f"{{{name}}}" in operation.path
        }
        strategy = operation.as_strategy(generation_mode=mode)
        if own_ids:
            strategy = st.one_of(
                strategy, operation.as_strategy(generation_mode=mode, path_parameters=own_ids)
            )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case) -> None:
            case.headers = {**(case.headers or {}), **headers}  # our token, not a generated one
            response = case.call()
            statuses[response.status_code] += 1
            where = f"{mode.value} {case.method} {case.formatted_path} {case.query} {case.body!r}"
            if mode == GenerationMode.POSITIVE and response.status_code == 422:
                failures.append(f"{where}: schema-valid request refused: {response.text}"[:800])
            try:
                # A 400 from a business rule (unknown agency, deadline before issue) is a
                # right answer to a schema-valid request; 422 (checked above) is not.
                # Requests without a valid token are tests/api/test_auth.py's subject.
                case.validate_response(
                    response, excluded_checks=[positive_data_acceptance, ignored_auth]
                )
            except (Exception, BaseExceptionGroup) as error:  # every failure is reported below
                failures.append(f"{where}: {error}"[:1500])

        run()
    print(f"{role} {mode.value}: {sum(statuses.values())} requests, {dict(statuses)}")  # noqa: T201 - the counts for docs/security.md (pytest -s)
    assert not [code for code in statuses if code >= 500], statuses
    assert failures == [], "\n\n".join(failures)

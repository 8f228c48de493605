"""The draft-version routes fuzzed with *valid* requests, as the drafting team (the office)
sends them, on a draft that exists and has comments: Schemathesis generates requests from the
OpenAPI document for the three operations (list, import a revised text or file, diff), and
Hypothesis writes revised drafts that parse (articles renumbered, inserted, dropped, retitled,
Vietnamese typed in any Unicode form) and reads every diff between their versions. No request
may make a server error or break the document, and every diff must account for every section
of both versions. Bounded: VERSIONS_FUZZ_EXAMPLES (default 15) examples for the generated
requests, a third of that for the revised drafts."""

import os
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import ignored_auth, positive_data_acceptance

from dondoc.api.services import token_create
from dondoc.consultation import services
from dondoc.consultation.models import Section
from tests.api import test_fuzz

from .conftest import section

EXAMPLES = int(os.environ.get("VERSIONS_FUZZ_EXAMPLES", "15"))
VERSIONS = "/api/v1/consultation/drafts/{draft_id}/versions"
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))  # fmt: skip

pytestmark = pytest.mark.django_db


# The app as the API fuzzing calls it (parsed once, requests inside the test's transaction).
loaded_schema, schema = test_fuzz.loaded_schema, test_fuzz.schema


@pytest.fixture
def commented(office_user, draft, open_round):
    """Comments on version 1's Điều 2 and on the whole draft, so that diffs count them."""
    article = section(draft, "Điều 2").pk
    services._comments_import(open_round, [
        ("partial", "Đề nghị bồi thường theo giá thị trường.", "citizen", "web", article),
        ("against", "Không đồng ý thu hồi đất để làm dự án thương mại.", "expert", "web", None),
    ])  # fmt: skip
    return draft


def version_operations(schema) -> list:
    found = [op.ok() for op in schema.get_all_operations() if op.ok().path.startswith(VERSIONS)]
    assert {(op.method.upper(), op.path) for op in found} == {
        ("GET", VERSIONS), ("POST", VERSIONS), ("GET", f"{VERSIONS}/diff")}  # fmt: skip
    return found


def test_valid_requests_of_the_drafting_team_never_fail_or_break_the_document(
    schema, commented, office_user
):
    _token, secret = token_create(office_user, name="fuzz")
    statuses: dict[str, set[int]] = {}
    failures: list[str] = []
    for operation in version_operations(schema):
        strategy = operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE, path_parameters={"draft_id": commented.pk}
        )

        @BOUNDED
        @given(case=strategy)
        def run(case) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
            response = case.call()
            statuses.setdefault(f"{case.method.upper()} {case.path}", set()).add(
                response.status_code
            )
            where = f"{case.method} {case.formatted_path} {case.query} {case.body!r}"[:400]
            if response.status_code >= 500 or response.status_code == 422:
                failures.append(f"{where}: {response.status_code} {response.text[:400]}")
            try:
                case.validate_response(
                    response, excluded_checks=[positive_data_acceptance, ignored_auth]
                )
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{where}: {error}"[:1500])

        run()
    assert failures == [], "\n\n".join(failures)
    # the generator reached past the refusals: versions were imported and diffs read
    assert 201 in statuses[f"POST {VERSIONS}"], statuses
    assert 200 in statuses[f"GET {VERSIONS}/diff"], statuses


# Revised drafts that parse: articles with Vietnamese headings, some renumbered, inserted or
# dropped, their text in NFC or NFD, headings near the column's 500 characters
WORDS = ["bồi thường", "thu hồi đất", "quy hoạch", "tái định cư", "giá thị trường", "Nhà nước",
         "hỗ trợ", "quyền sử dụng", "khoản", "người dân", "công khai", "thủ tục"]  # fmt: skip
heading = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
long_heading = st.builds(lambda word, n: " ".join([word] * n), st.sampled_from(WORDS),
                         st.integers(40, 60))  # fmt: skip
article = st.tuples(
    st.integers(1, 40), st.one_of(heading, heading, long_heading),
    st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join),
)  # fmt: skip
form = st.sampled_from(["NFC", "NFD"])


def markdown(articles: list[tuple[int, str, str]], unicode_form: str) -> str:
    lines = ["# Dự thảo Luật Đất đai (sửa đổi)", "", "Chương I. Quy định chung", ""]
    for number, title, body in articles:
        lines += [f"Điều {number}. {title.capitalize()}", body.capitalize() or "Giữ nguyên.", ""]
    return unicodedata.normalize(unicode_form, "\n".join(lines))


@settings(BOUNDED, max_examples=max(3, EXAMPLES // 3))
@given(revisions=st.lists(st.tuples(st.lists(article, min_size=1, max_size=8), form),
                          min_size=1, max_size=2))  # fmt: skip
def test_every_diff_between_revised_versions_accounts_for_every_section(
    api, commented, office_user, inspector, revisions
):
    office = api(office_user)
    for articles, unicode_form in revisions:
        created = office.client.post(
            f"/api/v1/consultation/drafts/{commented.pk}/versions",
            {"text": markdown(articles, unicode_form)}, headers=office.headers,
        )  # fmt: skip
        assert created.status_code == 201, created.content
    commented.refresh_from_db()
    reader = api(inspector)
    latest = commented.version
    for old in range(1, latest + 1):
        for new in range(1, latest + 1):
            answer = reader.get(
                f"/api/v1/consultation/drafts/{commented.pk}/versions/diff?from={old}&to={new}"
            )
            assert answer.status_code == 200, answer.content
            body = answer.json()
            before = Section.objects.filter(draft=commented, version=old).count()
            after = Section.objects.filter(draft=commented, version=new).count()
            assert body["added"] + body["changed"] + body["same"] == after
            assert body["removed"] + body["changed"] + body["same"] == before
            assert (
                len(body["sections"])
                == body["added"] + body["removed"] + body["changed"] + body["same"]
            )
            if old == new:
                assert body["same"] == before
    listed = reader.get(f"/api/v1/consultation/drafts/{commented.pk}/versions").json()
    assert [v["number"] for v in listed] == list(range(latest, 0, -1))


@pytest.mark.parametrize("letter", ["a", "\u0958", "\u0344", "e\u0301"])
def test_a_heading_at_the_columns_length_in_any_unicode_form_is_imported(
    api, commented, office_user, letter
):
    """The heading is cut to its column's 500 characters; a letter that Unicode composition
    writes as two characters (Devanagari qa, Greek dialytika tonos) must not push it past."""
    text = f"Điều 1. {letter * 600}\nNội dung.\n\nĐiều 2. Hiệu lực\nLuật có hiệu lực."
    office = api(office_user)
    created = office.client.post(
        f"/api/v1/consultation/drafts/{commented.pk}/versions", {"text": text},
        headers=office.headers,
    )  # fmt: skip
    assert created.status_code == 201, created.content
    stored = Section.objects.get(draft=commented, version=2, position=1)
    assert len(stored.heading) <= 500
    assert stored.heading == unicodedata.normalize("NFC", stored.heading)

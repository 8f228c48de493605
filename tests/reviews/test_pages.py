"""The review pages and files over HTTP: who may ask, who may read, what the pages show.

A review the user may not see answers 404 on its page and its files; the office asks for
reviews, everyone who works across agencies reads them, an agency's focal point or head reads
only the reviews of their own agency.
"""

import datetime as dt

import pytest
from django.urls import reverse

from dondoc.accounts.models import RoleCode
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.reviews.models import ReviewReport, ReviewStatus
from dondoc.reviews.services import review_generate
from tests.agencies.conftest import signed_in
from tests.conftest import make_user


@pytest.fixture
def made(world, office_user, django_capture_on_commit_callbacks):
    """Ask for two reviews as the office and let the (eager) job make them."""

    def make(scope: str) -> ReviewReport:
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in(office_user).post(
                reverse("reviews:list"),
                {"period": "2026-10", "scope": scope, "formats": ["docx", "pdf", "xlsx"]},
            )
        assert response.status_code == 302
        return ReviewReport.objects.get(scope=scope)

    return {"all": make("all"), "agency": make("agency:BTCTW")}


def test_office_asks_for_a_review_and_gets_its_files(made, office_user):
    report = made["all"]
    assert (report.status, report.progress, report.error) == (ReviewStatus.DONE, 100, "")
    assert report.title == "Kiểm điểm tiến độ thực hiện nhiệm vụ tháng 10 năm 2026"
    assert report.requested_by == office_user
    assert report.computed_as_of is not None
    assert report.figures["totals"]["overdue"] == 3
    assert report.docx.name.endswith("/kiem-diem-2026-10-all.docx")
    assert made["agency"].agency.code == "BTCTW"
    assert made["agency"].figures["totals"]["required"] == 6


def test_the_archive_page_shows_the_figures_as_tables(made, office_user):
    response = signed_in(office_user).get(reverse("reviews:detail", args=[made["all"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bảng 3. Kết quả thực hiện theo cơ quan chủ trì" in html
    assert "<td>Ban Tổ chức Trung ương</td>" in html
    assert (
        'data-testid="overdue-share">30,00%' in html or 'data-testid="overdue-share">30.00%' in html
    )
    assert "Chưa có dự báo." in html
    assert reverse("reviews:download", args=[made["all"].pk, "pdf"]) in html
    assert "every 2s" not in html  # done: no more polling


def test_a_review_being_made_is_polled_every_two_seconds(world, office_user):
    report = ReviewReport.objects.create(
        title="Kiểm điểm", period="2026-10", period_start="2026-10-01", period_end="2026-10-31",
        scope="all", requested_by=office_user, status=ReviewStatus.RUNNING, progress=40,
    )  # fmt: skip
    client = signed_in(office_user)
    page = client.get(reverse("reviews:detail", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "40%" in page
    review_generate(report.pk)
    fragment = client.get(reverse("reviews:detail", args=[report.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="review-body"')
    assert "every 2s" not in html
    assert "<!doctype html>" not in html
    assert "Tải PDF" in html


def test_bad_period_or_scope_is_shown_on_the_form_in_vietnamese(world, office_user):
    response = signed_in(office_user).post(
        reverse("reviews:list"),
        {"period": "2026-13", "scope": "agency:KHONGCO", "formats": ["pdf"]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kỳ báo cáo “2026-13” không hợp lệ" in html
    assert "không có cơ quan mã KHONGCO" in html
    assert not ReviewReport.objects.exists()


def test_a_period_not_yet_begun_is_refused(world, office_user):
    response = signed_in(office_user).post(
        reverse("reviews:list"), {"period": "2027-01", "scope": "all", "formats": ["pdf"]}
    )
    assert response.status_code == 400
    assert "Kỳ báo cáo 2027-01 chưa bắt đầu." in response.content.decode()


@pytest.mark.parametrize("reader", ["office_user", "leader", "inspector", "admin_user"])
def test_those_working_across_agencies_read_every_review_and_its_files(made, reader, request):
    client = signed_in(request.getfixturevalue(reader))
    listing = client.get(reverse("reviews:list")).content.decode()
    assert listing.count(reverse("reviews:detail", args=[made["all"].pk])) == 1
    assert reverse("reviews:detail", args=[made["agency"].pk]) in listing
    for report in made.values():
        assert client.get(reverse("reviews:detail", args=[report.pk])).status_code == 200
        for fmt in ("docx", "pdf", "xlsx"):
            response = client.get(reverse("reviews:download", args=[report.pk, fmt]))
            assert response.status_code == 200, (reader, fmt)


def test_download_is_an_attachment_named_like_the_command_line_names_it(made, leader):
    response = signed_in(leader).get(reverse("reviews:download", args=[made["all"].pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kiem-diem-2026-10-all.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("role", [RoleCode.FOCAL, RoleCode.HEAD])
def test_an_agency_reads_only_its_own_agency_reviews(made, lead_agency, role):
    client = signed_in(make_user(f"nguoi.{role}", lead_agency, role))
    listing = client.get(reverse("reviews:list")).content.decode()
    assert reverse("reviews:detail", args=[made["agency"].pk]) in listing
    assert reverse("reviews:detail", args=[made["all"].pk]) not in listing
    assert "Lập báo cáo mới" not in listing
    own, other = made["agency"].pk, made["all"].pk
    assert client.get(reverse("reviews:detail", args=[own])).status_code == 200
    assert client.get(reverse("reviews:download", args=[own, "xlsx"])).status_code == 200
    assert client.get(reverse("reviews:detail", args=[other])).status_code == 404
    assert client.get(reverse("reviews:download", args=[other, "pdf"])).status_code == 404


def test_focal_point_of_another_agency_finds_nothing(made, other_focal):
    client = signed_in(other_focal)
    for report in made.values():
        assert client.get(reverse("reviews:detail", args=[report.pk])).status_code == 404
        for fmt in ("docx", "pdf", "xlsx"):
            assert client.get(reverse("reviews:download", args=[report.pk, fmt])).status_code == 404
    assert client.get(reverse("reviews:detail", args=[987654])).status_code == 404


def test_a_review_above_the_readers_clearance_is_not_found(made, lead_focal):
    ReviewReport.objects.filter(pk=made["agency"].pk).update(classification=1)  # lead_focal: 0
    client = signed_in(lead_focal)
    assert client.get(reverse("reviews:detail", args=[made["agency"].pk])).status_code == 404
    assert (
        client.get(reverse("reviews:download", args=[made["agency"].pk, "pdf"])).status_code == 404
    )


def test_unknown_format_or_missing_file_is_not_found(made, office_user):
    client = signed_in(office_user)
    assert client.get(reverse("reviews:download", args=[made["all"].pk, "csv"])).status_code == 404
    made["all"].pdf.storage.delete(made["all"].pdf.name)
    assert client.get(reverse("reviews:download", args=[made["all"].pk, "pdf"])).status_code == 404


def test_only_the_office_may_ask_for_a_review(world, lead_focal, leader):
    for user in (lead_focal, leader):
        response = signed_in(user).post(
            reverse("reviews:list"), {"period": "2026-10", "scope": "all", "formats": ["pdf"]}
        )
        assert response.status_code == 403
    assert not ReviewReport.objects.exists()


def test_people_without_an_agency_role_may_not_open_the_reviews(world, office_agency):
    secretary = make_user("thuky", office_agency, RoleCode.SECRETARIAT)
    assert signed_in(secretary).get(reverse("reviews:list")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("reviews:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_menu_links_to_the_reviews_for_those_who_may_read_them(world, office_user, other_focal):
    assert reverse("reviews:list") in signed_in(office_user).get("/").content.decode()
    secretary = make_user("thuky", office_user.agency, RoleCode.SECRETARIAT)
    assert reverse("reviews:list") not in signed_in(secretary).get("/").content.decode()


def test_the_archive_list_takes_as_many_queries_for_many_reviews_as_for_few(world, office_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        ReviewReport.objects.bulk_create(
            ReviewReport(
                title=f"Báo cáo {i}",
                period="2026-10",
                period_start="2026-10-01",
                period_end="2026-10-31",
                scope="all",
                requested_by=office_user,
                figures={"big": "x" * 1000},
            )
            for i in range(n)
        )

    client = signed_in(office_user)
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reviews:list")).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("reviews:list")).status_code == 200
    assert len(many) == len(few)
    listing = [q["sql"] for q in many if "reviews_reviewreport" in q["sql"] and "LIMIT" in q["sql"]]
    assert listing
    assert all('"figures"' not in sql for sql in listing)


def test_the_office_asks_with_the_labels_the_form_offers(
    world, office_user, django_capture_on_commit_callbacks
):
    client = signed_in(office_user)
    page = client.get(reverse("reviews:list")).text
    assert '<option value="tháng 10 năm 2026">2026-10</option>' in page
    assert 'hx-get="/reviews/scopes/?field=scope"' in page
    suggested = client.get(reverse("reviews:scopes"), {"field": "scope", "scope": "chinh tri"}).text
    assert '<option value="Văn bản của Bộ Chính trị">BCT</option>' in suggested
    assert "Ban Bí thư" not in suggested  # only what holds the words typed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:list"), {
            "period": "tháng 10 năm 2026", "scope": "Văn bản của Bộ Chính trị",
            "formats": ["xlsx"],
        })  # fmt: skip
    assert response.status_code == 302
    report = ReviewReport.objects.get()
    assert (report.period, report.scope) == ("2026-10", "issuer:BCT")


def test_the_lead_agency_is_picked_with_the_typed_agency_picker(
    world, office_user, django_capture_on_commit_callbacks
):
    client = signed_in(office_user)
    page = client.get(reverse("reviews:list")).text
    assert 'hx-get="/agencies/lookup/current/?field=agency"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:list"), {
            "period": "tháng 10 năm 2026", "scope": "Toàn bộ nhiệm vụ", "agency": "ban to chuc",
            "formats": ["xlsx"],
        })  # fmt: skip
    assert response.status_code == 302
    report = ReviewReport.objects.get()
    assert (report.period, report.scope, report.agency.code) == ("2026-10", "agency:BTCTW", "BTCTW")


def test_an_ended_agency_or_an_agency_with_another_scope_is_refused_in_vietnamese(
    world, office_user
):
    Agency.objects.create(
        code="BTGTW", name="Ban Tuyên giáo Trung ương", kind=AgencyKind.CENTRAL_BODY,
        valid_to=dt.date(2025, 2, 28),
    )  # fmt: skip
    client = signed_in(office_user)
    offered = client.get(reverse("agencies:lookup_current"), {"field": "agency", "agency": "ban"})
    assert "BTGTW" not in offered.text
    ask = {"period": "tháng 10 năm 2026", "scope": "Toàn bộ nhiệm vụ", "formats": ["xlsx"]}
    ended = client.post(reverse("reviews:list"), {**ask, "agency": "BTGTW"})
    assert ended.status_code == 400
    assert ended.context["form"].errors["agency"] == [
        "Không có cơ quan nào khớp “BTGTW”; gõ vài chữ của tên, tên viết tắt hoặc mã cơ quan "
        "rồi chọn trong danh sách gợi ý."
    ]
    typed = client.post(reverse("reviews:list"), {**ask, "scope": "agency:BTGTW"})
    assert typed.status_code == 400
    assert typed.context["form"].errors["scope"] == [
        "Cơ quan BTGTW không còn hoạt động nên không chọn được ở đây; chọn cơ quan chủ trì trong "
        "ô “Cơ quan chủ trì” theo danh sách gợi ý."
    ]
    both = client.post(
        reverse("reviews:list"), {**ask, "scope": "Văn bản của Bộ Chính trị", "agency": "BTCTW"}
    )
    assert both.status_code == 400
    assert both.context["form"].errors["agency"] == [
        "Chỉ chọn cơ quan chủ trì khi phạm vi là “Toàn bộ nhiệm vụ”; hãy bỏ một trong hai."
    ]
    assert not ReviewReport.objects.exists()


def test_only_the_office_gets_scope_suggestions(world, lead_focal):
    assert signed_in(lead_focal).get(reverse("reviews:scopes")).status_code == 403

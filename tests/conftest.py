"""Named actors for the tests, as in healthchecks (alice, bob) and Zulip (hamlet, othello)."""

import pytest
from django.core.cache import cache

from dondoc.accounts.models import Clearance, Role, RoleCode, User
from dondoc.agencies.models import Agency, AgencyKind

PASSWORD = "Mat-khau-thu-nghiem-2026"


@pytest.fixture(autouse=True)
def _vietnamese_first(settings):
    settings.LANGUAGE_CODE = "vi"
    # Production keeps Django's slow-by-design hasher; tests need not pay for it per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()  # figures cached by an earlier test's data version (tracking.figures)


def make_user(username: str, agency: Agency | None, *roles: str, clearance: int = 0) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=username.title(), clearance=clearance
    )
    user.agency = agency
    user.save()
    # get_or_create: transactional tests empty every table, the migrated roles included.
    user.roles.set([Role.objects.get_or_create(code=code)[0] for code in roles])
    return user


@pytest.fixture
def office_agency(db) -> Agency:
    return Agency.objects.create(
        code="VPTW",
        name="Văn phòng Trung ương Đảng",
        short_name="VPTW",
        kind=AgencyKind.CENTRAL_BODY,
    )


@pytest.fixture
def lead_agency(db) -> Agency:
    return Agency.objects.create(
        code="BTCTW",
        name="Ban Tổ chức Trung ương",
        short_name="BTCTW",
        kind=AgencyKind.CENTRAL_BODY,
    )


@pytest.fixture
def other_agency(db) -> Agency:
    return Agency.objects.create(
        code="HANOI", name="Thành ủy Hà Nội", short_name="Hà Nội", kind=AgencyKind.PROVINCE
    )


@pytest.fixture
def admin_user(office_agency) -> User:
    return make_user("quantri", office_agency, RoleCode.ADMIN, clearance=Clearance.SECRET)


@pytest.fixture
def office_user(office_agency) -> User:
    return make_user("chuyenvien", office_agency, RoleCode.OFFICE, clearance=Clearance.SECRET)


@pytest.fixture
def leader(office_agency) -> User:
    return make_user("lanhdao", office_agency, RoleCode.LEADER, clearance=Clearance.TOP_SECRET)


@pytest.fixture
def inspector(db) -> User:
    return make_user("kiemtra", None, RoleCode.INSPECTOR, clearance=Clearance.SECRET)


@pytest.fixture
def lead_focal(lead_agency) -> User:
    return make_user("daumoi.btctw", lead_agency, RoleCode.FOCAL)


@pytest.fixture
def other_focal(other_agency) -> User:
    return make_user("daumoi.hanoi", other_agency, RoleCode.FOCAL)


@pytest.fixture(autouse=True)
def _audit_log_emptied_before_flush(request):
    """Transactional tests (live server, real threads) end with Django emptying every table.
    On SQLite that is a DELETE, which the audit log's append-only trigger refuses; empty the
    log first with the trigger lifted, exactly as tests/audit/tampering.py does."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so it is torn down after this
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        from tests.audit.tampering import tamper

        tamper("DELETE FROM audit_auditentry")


@pytest.fixture(autouse=True)
def _audit_anchors_per_test(settings, tmp_path):
    """Each test anchors the audit chain in its own file (audit anchors live outside the DB)."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


@pytest.fixture(scope="session")
def _no_connection_outlives_the_run(django_db_setup, django_db_blocker):
    """At the end of a PostgreSQL run, before the test database is dropped: no other session may
    still use it (a process or thread a test started and left behind). Such sessions are named
    in a warning, with the client address and port to find their process, and ended, so that
    the drop does not fail with "being accessed by other users"."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, client_addr, client_port, application_name, state, query "
                "FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            others = cursor.fetchall()
            for row in others:
                cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
    if others:
        import warnings

        warnings.warn(f"sessions left on the test database, ended: {others}", stacklevel=1)


@pytest.fixture(autouse=True)
def _connections_checked_at_the_end(request):
    if "django_db_setup" in request.fixturenames:  # set up after the database, torn down before
        request.getfixturevalue("_no_connection_outlives_the_run")

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from dondoc.core.access import public

urlpatterns = [
    path("", include("dondoc.home.urls")),
    path("", include("dondoc.core.urls")),
    path("accounts/", include("dondoc.accounts.urls")),
    path("agencies/", include("dondoc.agencies.urls")),
    path("audit/", include("dondoc.audit.urls")),
    path("", include("dondoc.tracking.urls")),
    path("api/v1/", include("dondoc.api.urls")),
    path("urging/", include("dondoc.urging.urls")),
    path("reviews/", include("dondoc.reviews.urls")),
    path("dashboard/", include("dondoc.dashboards.urls")),
    path("programs/", include("dondoc.programs.urls")),
    path("congress/", include("dondoc.congress.urls")),
    path("consultation/", include("dondoc.consultation.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("i18n/js/", public(JavaScriptCatalog.as_view()), name="javascript-catalog"),
]

handler400 = "dondoc.core.errors.bad_request"
handler403 = "dondoc.core.errors.permission_denied"
handler404 = "dondoc.core.errors.page_not_found"
handler500 = "dondoc.core.errors.server_error"

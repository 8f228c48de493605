"""The REST API under /api/v1/: one NinjaAPI, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Every operation needs `Authorization: Bearer <token>` (see `auth.py`); the OpenAPI document
and the docs page (served from ninja's bundled static files) are open.
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from dondoc.api import assist, congress, consultation, programs, stats, tracking
from dondoc.api.auth import TokenAuth
from dondoc.api.errors import register_error_handlers


class Utf8JSONRenderer(JSONRenderer):
    """Vietnamese as it is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class BundledSwagger(Swagger):
    """Swagger UI from ninja's bundled static files, rendered without the site's context
    processors: the docs page needs no session, navigation or notification counts."""

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api}
        return HttpResponse(render_to_string(self.template, context))


api = NinjaAPI(
    title="dondoc API",
    version="1",
    description=(
        "Theo dõi, đôn đốc việc thực hiện văn bản chỉ đạo. Xác thực bằng khóa API: "
        "`Authorization: Bearer <khóa>` (quản trị viên cấp bằng `dondoc token create`)."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=BundledSwagger(),
    auth=TokenAuth(),
    renderer=Utf8JSONRenderer(),
)
register_error_handlers(api)
api.add_router("/documents", tracking.documents)
api.add_router("/tasks", tracking.tasks)
api.add_router("/", assist.router)
api.add_router("/stats", stats.router)
api.add_router("/programs", programs.router)
api.add_router("/congress", congress.router)
api.add_router("/consultation", consultation.router)

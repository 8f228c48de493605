"""The REST API under /api/v1/: one NinjaAPI, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="dondoc API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

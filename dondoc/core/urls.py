from django.urls import path

from dondoc.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.health, name="health"),
    # Browsers ask for /favicon.ico where a page names no icon (JSON, files): no 404 for it.
    path("favicon.ico", views.favicon, name="favicon"),
]

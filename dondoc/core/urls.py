from django.urls import path

from dondoc.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.health, name="health"),
]

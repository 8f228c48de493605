from django.urls import path

from dondoc.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.leader, name="leader"),
    path("agencies/<str:code>/", views.scorecard, name="scorecard"),
]

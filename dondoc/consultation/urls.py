from django.urls import path

from dondoc.consultation import views

app_name = "consultation"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/round/", views.round_create, name="round"),
    path("<int:pk>/synthesis/", views.synthesis, name="synthesis"),
    path("<int:pk>/report.<str:fmt>", views.report, name="report"),
    path("themes/<int:pk>/respond/", views.theme_respond, name="respond"),
    path("public/<int:pk>/", views.public_comment, name="public"),
]

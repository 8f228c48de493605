from django.urls import path

from dondoc.consultation import views

app_name = "consultation"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/round/", views.round_create, name="round"),
    path("<int:pk>/erase-identities/", views.identities_erase, name="erase_identities"),
    path("<int:pk>/versions/", views.draft_versions, name="versions"),
    path("<int:pk>/versions/new/", views.draft_version_create, name="version_create"),
    path("<int:pk>/imports/", views.import_create, name="import"),
    path("imports/<int:pk>/rejections.csv", views.import_rejections, name="rejections"),
    path("imports/<int:pk>/resume/", views.import_resume, name="import_resume"),
    path("<int:pk>/synthesis/", views.synthesis, name="synthesis"),
    path("<int:pk>/report.<str:fmt>", views.report, name="report"),
    path("themes/<int:pk>/", views.theme_edit, name="theme"),
    path("themes/<int:pk>/respond/", views.theme_respond, name="respond"),
    path("public/<int:pk>/", views.public_comment, name="public"),
]

from django.urls import path

from dondoc.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_create, name="create"),
    path("lookup/", views.agency_lookup, name="lookup"),  # filters: ended agencies too
    path("lookup/current/", views.agency_lookup, {"ended": False}, name="lookup_current"),
    path("reorganize/", views.reorganization_create, name="reorganize"),
    # Agency codes are upper case (services.code_validator): they never clash with the above.
    path("<str:code>/", views.agency_detail, name="detail"),
    path("<str:code>/edit/", views.agency_edit, name="edit"),
]

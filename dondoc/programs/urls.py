from django.urls import path

from dondoc.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/items/new/", views.item_new, name="item_new"),
    path("<int:pk>/items/add-request/", views.item_add_request, name="item_add_request"),
    path("<int:pk>/derive/", views.year_program_derive, name="year_program_derive"),
    path("<int:pk>/items/import/", views.items_import, name="items_import"),
    path("<int:pk>/items.xlsx", views.items_export, name="items_export"),
    path("month/", views.month_view, name="month"),
    path("coming/", views.coming, name="coming"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path(
        "items/<int:pk>/appraisals/<int:appraisal>.docx",
        views.appraisal_report,
        name="appraisal_report",
    ),
    path("items/<int:pk>/handling.xlsx", views.handling_export, name="handling_export"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("items/<int:pk>/<slug:action>/", views.item_act, name="item_act"),
]

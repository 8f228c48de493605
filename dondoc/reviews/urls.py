from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("scopes/", views.review_scopes, name="scopes"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/files/<str:fmt>/", views.review_download, name="download"),
]

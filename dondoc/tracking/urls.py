from django.urls import path

app_name = "tracking"
urlpatterns: list = []

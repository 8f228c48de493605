from django.urls import URLPattern

app_name = "congress"
urlpatterns: list[URLPattern] = []

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "dondoc.reviews"
    verbose_name = "Báo cáo kiểm điểm tiến độ"

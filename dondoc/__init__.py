"""dondoc: theo dõi, đôn đốc — tracking and urging the implementation of leadership decisions."""

from dondoc.celery import app as celery_app

__all__ = ["celery_app"]

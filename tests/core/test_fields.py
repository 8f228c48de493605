"""Every text column stores clean text, however it is written (issue #11, item 1)."""

import pytest
from django.apps import apps
from django.db import connection, models

from dondoc.core.fields import CleanCharField, CleanTextField
from dondoc.tracking.models import Obstacle, Task

DIRTY = "Vướng\u0001 mắc\u000bdòng 2\r\n"
CLEAN = "Vướng mắc\ndòng 2\n"

# Columns that are not typed by a user and keep their bytes as given.
NOT_TYPED = {
    # The audit log records what was asked, byte for byte, under its hash chain; the views and
    # exports of it clean what they show.
    *(
        f"audit.{model.__name__}.{field.name}"
        for model in apps.get_app_config("audit").get_models()
        for field in model._meta.local_fields
    ),
    # Django's AbstractUser columns: a username is letters, digits and @.+-_ (validated), an
    # e-mail address is validated, and first and last names are not used (full_name is).
    "accounts.User.username",
    "accounts.User.email",
    "accounts.User.first_name",
    "accounts.User.last_name",
    "accounts.User.password",
    "tracking.TaskTally.deadline_kind",  # "ongoing" or "date", copied from the task by the tallies
    "urging.EmailOutbox.to",  # an e-mail address (EmailField), copied from the user's
}


def _text_columns() -> list[str]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("dondoc."):
            continue
        for field in model._meta.local_fields:
            if isinstance(field, models.CharField | models.TextField) and not isinstance(
                field, CleanCharField | CleanTextField
            ):
                found.append(f"{model._meta.app_label}.{model.__name__}.{field.name}")
    return found


def test_every_text_column_of_the_project_cleans_what_it_stores() -> None:
    assert sorted(set(_text_columns()) - NOT_TYPED) == []


def test_save_create_update_and_bulk_create_all_store_clean_text(task, lead_agency) -> None:
    saved = Obstacle.objects.create(task=task, agency=lead_agency, raised_on=task.created_on,
                                    text=DIRTY)  # fmt: skip
    assert saved.text == CLEAN  # the instance holds what was stored
    Obstacle.objects.filter(pk=saved.pk).update(answer=DIRTY)
    [bulk] = Obstacle.objects.bulk_create(
        [Obstacle(task=task, agency=lead_agency, raised_on=task.created_on, text=DIRTY)]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text, answer FROM tracking_obstacle ORDER BY id")
        assert cursor.fetchall() == [(CLEAN, CLEAN), (CLEAN, "")]
    assert bulk.text == CLEAN


def test_migrations_see_the_plain_django_fields() -> None:
    field = Task._meta.get_field("title")
    assert field.deconstruct()[1] == "django.db.models.CharField"
    assert Task._meta.get_field("description").deconstruct()[1] == "django.db.models.TextField"


@pytest.fixture
def task(db, lead_agency, office_user) -> Task:
    from dondoc.tracking.services import task_create

    return task_create(
        office_user, title="Rà soát quy định", lead_agency=lead_agency, due_on="2026-12-31"
    )

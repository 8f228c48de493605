"""Text columns that store only clean text (`core.text.clean`): the one door for typed text.

Every way text reaches the database passes through the model field: forms and the API call
services, services call `save()`/`create()`, the XLSX import calls `bulk_create()`, and the
compare-and-set claims call `QuerySet.update()`. A form, a schema or a service can forget a
`clean()` call; the column cannot. So the cleaning lives here, in `pre_save` (the instance
holds the stored text after `save()`/`bulk_create()`) and in `get_prep_value` (`update()`).

`tests/core/test_fields.py` walks every model of the project and fails on a `CharField` or
`TextField` a user can type into that is not one of these.

The database schema is the same as Django's own fields, so migrations record the plain
`models.CharField` / `models.TextField` (see `deconstruct`): switching a column to these needs
no migration, and historical models in migrations never import this module.
"""

from typing import Any

from django.db import models

from dondoc.core.text import clean

__all__ = ["CleanCharField", "CleanTextField"]


class _Cleaning:
    """Mixin: clean text on the way into the database."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)  # type: ignore[misc]
        if isinstance(value, str):
            value = clean(value)
            setattr(model_instance, self.attname, value)  # type: ignore[attr-defined]
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)  # type: ignore[misc]
        return clean(value) if isinstance(value, str) else value

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, f"django.db.models.{self._django_name}", args, kwargs

    _django_name = ""


class CleanCharField(_Cleaning, models.CharField):  # type: ignore[type-arg]
    """A `CharField` that stores `clean(value)`."""

    _django_name = "CharField"


class CleanTextField(_Cleaning, models.TextField):  # type: ignore[type-arg]
    """A `TextField` that stores `clean(value)`."""

    _django_name = "TextField"

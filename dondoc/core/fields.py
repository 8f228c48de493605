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

from typing import TYPE_CHECKING, Any

from django.db import models

from dondoc.core.text import clean

__all__ = ["CleanCharField", "CleanTextField"]


def _pre_save(field: "models.Field[Any, Any]", value: Any, instance: models.Model) -> Any:
    if isinstance(value, str):
        value = clean(value)
        setattr(instance, field.attname, value)  # the instance holds what was stored
    return value


def _prep(value: Any) -> Any:
    return clean(value) if isinstance(value, str) else value


class _Cleans:
    """Stores `clean(value)`; migrations record Django's own field class (`django_path`)."""

    django_path: str

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return _pre_save(self, super().pre_save(model_instance, add), model_instance)  # type: ignore[misc, arg-type]

    def get_prep_value(self, value: Any) -> Any:
        return _prep(super().get_prep_value(value))  # type: ignore[misc]

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, self.django_path, args, kwargs


class _CleanCharField(_Cleans, models.CharField):  # type: ignore[type-arg]
    django_path = "django.db.models.CharField"


class _CleanTextField(_Cleans, models.TextField):  # type: ignore[type-arg]
    django_path = "django.db.models.TextField"


# To mypy (and its Django plugin, which types the columns of Django's own fields but reads a
# custom field class as `Any` when it meets it before this module) these are Django's fields:
# they add no attribute, only what they do on the way to the database.
if TYPE_CHECKING:
    CleanCharField = models.CharField
    CleanTextField = models.TextField
else:
    CleanCharField, CleanTextField = _CleanCharField, _CleanTextField

"""Form widgets shared by the apps."""

from typing import Any

from django import forms
from django.utils.functional import Promise


class LookupInput(forms.TextInput):
    """A text input that suggests values as the user types, for choices too many to list.

    Suggestions come from `url` (answering `<option>` elements for `?field=<name>&<name>=…`)
    into a `<datalist>`, with htmx; `choice` is the current (value, label), shown as its first option.
    """

    template_name = "core/widgets/lookup.html"

    def __init__(self, url: str | Promise, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url = url
        self.choice: tuple[object, str] | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        options = f"{widget['attrs'].get('id') or name}-options"
        widget["attrs"].update(
            {
                "list": options,
                "autocomplete": "off",
                "hx-get": f"{self.url}?field={name}",
                "hx-trigger": "input changed delay:250ms, focus once",
                "hx-target": f"#{options}",
                "hx-swap": "innerHTML",
            }
        )
        widget["options_id"] = options
        widget["choice"] = self.choice
        return context

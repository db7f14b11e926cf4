"""A size field for quotas: admins type "2 GB", "500M" or "1,5 GiB"; forms get bytes."""
from django import forms
from django.utils.translation import gettext_lazy as _

from mailcore.sizes import format_size, parse_size


class SizeInput(forms.TextInput):
    def format_value(self, value):
        # Shown back in the units it can be typed in again (2G), not as a byte count.
        if isinstance(value, int):
            return format_size(value) if value else "0"
        return super().format_value(value)


class SizeField(forms.Field):
    """Bytes from a human size; empty or 0 means unlimited (0)."""

    widget = SizeInput
    default_error_messages = {
        "invalid": _("Write a size such as 500 MB, 2 GB or 0 for unlimited."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("For example 500 MB or 2 GB; 0 means unlimited."))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value or "").strip().replace(",", ".")  # Vietnamese writes 1,5 GB
        if not text:
            return 0
        try:
            return parse_size(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

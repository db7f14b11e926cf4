"""Form pieces every panel area shares: quota sizes, and services' errors put on fields."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.sizes import format_size_exact, parse_size

MAX_SIZE_TEXT = 40


class SizeField(forms.CharField):
    """Bytes from a size as admins write it ("2 GB", "500M", "1,5 GiB"); 0 means unlimited.

    An empty field gives empty_bytes: 0 (unlimited) for a domain limit, None where empty
    means "the default". A stored size is shown back exactly (2G, or the byte count), so
    saving a form unchanged never rounds a quota.
    """

    def __init__(self, *, empty_bytes=0, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("For example 500 MB or 2 GB; 0 means unlimited."))
        super().__init__(**kwargs)
        self.empty_bytes = empty_bytes
        self.widget.attrs["maxlength"] = str(MAX_SIZE_TEXT)

    def prepare_value(self, value):
        return format_size_exact(value) if isinstance(value, int) else value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return self.empty_bytes
        if len(text) > MAX_SIZE_TEXT:
            raise ValidationError(_("Write a size such as 500 MB or 2 GB."))
        try:
            return parse_size(text.replace(",", "."))  # Vietnamese writes 1,5 GB
        except ValueError:
            raise ValidationError(_("%(value)s is not a size; write e.g. 2 GB, 500 MB or 0 for unlimited."),
                                  params={"value": text}) from None


def add_service_errors(form, error: ValidationError, rename: dict | None = None):
    """Put a mailcore services ValidationError on the form: each key on its field (renamed
    where the form calls it otherwise), the rest on the form itself."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = rename.get(key, key)
        form.add_error(field if field in form.fields else None, messages)

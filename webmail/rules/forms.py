"""The Sieve import form: a file or pasted text, and whether it replaces the rules."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.delivery.sieve.grammar import MAX_SCRIPT_BYTES


class ImportForm(forms.Form):
    script_file = forms.FileField(label=_("Sieve script file"), required=False,
                                  help_text=_("A .sieve file, for example one exported here or from another server."))
    script = forms.CharField(label=_("Or paste the script"), required=False, strip=False,
                             max_length=MAX_SCRIPT_BYTES, widget=forms.Textarea(attrs={"rows": 12}))
    replace = forms.BooleanField(label=_("Replace my rules (otherwise the imported rules are added after them)"),
                                 required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("script_file")
        if upload is not None:
            if upload.size > MAX_SCRIPT_BYTES:
                raise ValidationError(_("The script is larger than %(size)d KB.") % {"size": MAX_SCRIPT_BYTES // 1024})
            data["source"] = upload.read()
        elif data.get("script", "").strip():
            data["source"] = data["script"].encode("utf-8", "surrogatepass")
        else:
            raise ValidationError(_("Choose a script file or paste a script."))
        return data

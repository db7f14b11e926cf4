"""The compose form: addresses checked per field, so an error names To, Cc or Bcc."""
from email.utils import parseaddr

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mailcore.collation import sort_key
from mailcore.directory.addresses import address_to_unicode, parse_address
from mailcore.sizes import format_size
from mailcore.smtp import policy, submission

from . import richtext

SEND, SEND_LATER, SAVE = "send", "send_later", "save"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


def sender_choices(account) -> list[tuple[str, str]]:
    """Exactly the addresses policy.may_send_as allows: the account's own first, each
    shown as people read it (an IDN domain in Unicode)."""
    own = account.address.lower()
    others = sorted(policy.sender_addresses(account) - {own}, key=lambda address: sort_key(address_to_unicode(address)))
    return [(address, address_to_unicode(address)) for address in [own, *others]]


def split_addresses(text: str) -> list[str]:
    """Split at commas (and semicolons, as users type them) outside quotes and <>."""
    pieces, current, quoted, angle, escaped = [], [], False, False, False
    for char in text:
        if escaped:  # RFC 5322 §3.2.1: a quoted-pair, "\\" and the next character
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"' and not angle:
            quoted = not quoted
        elif char == "<" and not quoted:
            angle = True
        elif char == ">" and not quoted:
            angle = False
        elif char in ",;" and not (quoted or angle):
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def parse_addresses(text: str, field: str) -> list[tuple[str, str]]:
    """"Name <a@b>, c@d" into [(name, canonical address)]; errors name the address."""
    pairs = []
    for piece in split_addresses(" ".join((text or "").split())):
        name, address = parseaddr(piece)
        if not address or ("<" in piece) != ("<" in piece and ">" in piece):
            raise ValidationError(_("%(address)s is not a valid mail address.") % {"address": piece})
        try:
            parsed = parse_address(address, field, allow_quoted=True)
        except ValidationError:
            raise ValidationError(_("%(address)s is not a valid mail address.") % {"address": piece}) from None
        pairs.append((name, str(parsed)))
    return pairs


class ComposeForm(forms.Form):
    from_address = forms.ChoiceField(label=_lazy("From"), error_messages={
        "invalid_choice": _lazy("You may not send as %(value)s.")})
    to = forms.CharField(label=_lazy("To"), required=False, max_length=20000)
    cc = forms.CharField(label=_lazy("Cc"), required=False, max_length=20000)
    bcc = forms.CharField(label=_lazy("Bcc"), required=False, max_length=20000)
    subject = forms.CharField(label=_lazy("Subject"), required=False, max_length=900)
    body = forms.CharField(label=_lazy("Message"), required=False, strip=False, max_length=2_000_000,
                           widget=forms.Textarea(attrs={"rows": 16}))
    html = forms.CharField(required=False, strip=False, max_length=4_000_000, widget=forms.HiddenInput)
    attachments = MultipleFileField(label=_lazy("Attach files"), required=False)
    keep = forms.TypedMultipleChoiceField(required=False, coerce=int, widget=forms.CheckboxSelectMultiple)
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    draft_uid = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # The scheduled message this form edits: it stays scheduled until the edit is sent.
    scheduled = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    in_reply_to = forms.CharField(required=False, max_length=998, widget=forms.HiddenInput)
    references = forms.CharField(required=False, max_length=20000, widget=forms.HiddenInput)
    send_at = forms.DateTimeField(label=_lazy("Send at"), required=False,
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                             format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, account, carried=(), action=SEND, **kwargs):
        super().__init__(*args, **kwargs)
        self.account, self.action, self.carried = account, action, list(carried)
        self.fields["from_address"].choices = sender_choices(account)
        self.fields["keep"].choices = [(i, a.filename) for i, a in enumerate(self.carried)]
        self.fields["attachments"].help_text = _("At most %(size)s in all.") % {
            "size": format_size(settings.HOPTHU_MAX_MESSAGE_SIZE)}

    def _clean_addresses(self, field):
        pairs = parse_addresses(self.cleaned_data.get(field, ""), field)
        if pairs and self.action != SAVE:
            # The same check submission.submit makes, here per field so the error names it.
            try:
                submission.check_recipients([address for _name, address in pairs])
            except ValidationError as error:
                raise ValidationError(error.message_dict["recipients"]) from None
        return pairs

    def clean_to(self):
        return self._clean_addresses("to")

    def clean_cc(self):
        return self._clean_addresses("cc")

    def clean_bcc(self):
        return self._clean_addresses("bcc")

    def clean_html(self):
        return richtext.sanitize(self.cleaned_data.get("html", ""))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        total = sum(upload.size for upload in files)
        if total > settings.HOPTHU_MAX_MESSAGE_SIZE:
            raise ValidationError(_("The files are %(size)s together; at most %(limit)s may be sent.")
                                  % {"size": format_size(total),
                                     "limit": format_size(settings.HOPTHU_MAX_MESSAGE_SIZE)})
        return files

    def clean_send_at(self):
        send_at = self.cleaned_data.get("send_at")
        if self.action == SEND_LATER:
            if send_at is None:
                raise ValidationError(_("Choose when to send it."))
            if send_at <= timezone.now():
                raise ValidationError(_("Choose a time in the future."))
        return send_at

    def clean(self):
        data = super().clean()
        if self.action != SAVE and not self.errors and not (data.get("to") or data.get("cc") or data.get("bcc")):
            self.add_error("to", _("Give at least one recipient."))
        return data

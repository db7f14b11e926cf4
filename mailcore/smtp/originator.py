"""The replies for a message whose sender depends on who reads it (mime/originator.py):
one rule for SMTP submission, the relay port and the webmail's form."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mailcore.mime.originator import OriginatorProblem, originator_problem


@dataclass(frozen=True)
class OriginatorRefusal:
    reply: str  # SMTP, RFC 3463 5.6.0: other or undefined media error
    message: str  # for a form


def originator_refusal(raw: bytes) -> OriginatorRefusal | None:
    """The refusal of raw for its From fields (RFC 5322 §3.6: exactly one), or None."""
    problem = originator_problem(raw)
    if problem is OriginatorProblem.NO_FROM:
        return OriginatorRefusal("550 5.6.0 The message has no From header",
                                 _("The message has no sender (From)."))
    if problem is OriginatorProblem.SEVERAL_FROM:
        return OriginatorRefusal("550 5.6.0 The message has more than one From header field; "
                                 "RFC 5322 section 3.6 allows exactly one",
                                 _("The message has more than one From header field; a message has exactly one."))
    if problem is OriginatorProblem.MBOX_FROM_LINE:
        return OriginatorRefusal('550 5.6.0 The message header holds an mbox "From " line, which is not a '
                                 "header field; remove it",
                                 _('The message header holds a line starting with "From " without a colon, '
                                   "which is not a header field."))
    return None

"""Why an address was refused or an attempt failed: a code and its values are stored, and
the sentence is written in the reader's language when a page shows it."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "invalid": _("This is not a valid address."),
    "scheme": _("Only http and https addresses can receive webhooks."),
    "no_host": _("The address has no host."),
    "credentials": _(
        "Put no user name or password in the address; the signature proves the sender."
    ),
    "unresolved": _("The host %(host)s could not be resolved."),
    "private": _(
        "%(host)s points to %(address)s, an address inside a private network or reserved; "
        "webhooks go to public addresses only."
    ),
    "no_answer": _("No answer: %(error)s"),
    "redirect": _("A redirect, which webhooks do not follow."),
    "status": _("The receiver answered with HTTP status %(status)s."),
}


def message(code, params=None):
    """The sentence for `code` in the active language ("" for none)."""
    if code not in MESSAGES:
        # Nothing, or a sentence stored before the codes (a site's first days).
        return code
    text = MESSAGES[code]
    return text % params if params else str(text)

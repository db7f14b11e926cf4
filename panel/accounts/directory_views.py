"""A new person in the company directory (LDAP), made from the panel when
HOPTHU_LDAP_WRITABLE says HopThu may write there (docs/ldap.md, "Authentication").

The entry is added under the user base with its password (RFC 3062), then the mail
account is made at once, marked as from LDAP, so the person can sign in before the next
sync. A domain admin may do it only for the domains they manage (the form's choices).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mailcore.auth.errors import DirectoryUnavailable
from mailcore.ldap.new_person import create_directory_account
from mailcore.ldap.write import DirectoryWriteError, NewPerson, writable
from panel.fields import add_service_errors

from ..access import admin_required, audit, managed_domains
from .forms import DirectoryUserForm, chosen_domain


@admin_required
def directory_user_create(request):
    if not writable():
        raise PermissionDenied
    form = DirectoryUserForm(request.POST or None, domains=managed_domains(request.user).only("name"))
    form.fields["domain"].initial = chosen_domain(request.GET.get("domain"), form.fields["domain"].choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = NewPerson(uid=data["uid"], address=data["address"], display_name=data["display_name"],
                           password=data["password"])
        try:
            dn, account = create_directory_account(person)
        except (DirectoryWriteError, DirectoryUnavailable) as error:
            form.add_error(None, error.message)
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"address": "localpart"})
        else:
            audit(request, "account.directory_create", account, domain=account.domain.name,
                  after={"dn": dn, "display_name": account.display_name})
            messages.success(request, _("%(address)s was added to the company directory.")
                             % {"address": account})
            return redirect("panel:account_detail", pk=account.pk)
    return render(request, "panel/accounts/directory_user_create.html", {"form": form})

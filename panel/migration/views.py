"""Migration jobs in the panel: start one for accounts this admin manages, follow its
progress, read its report. The copying is mailcore.migration's (a Celery task)."""
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from mailcore.directory.models import Account
from mailcore.migration import jobs
from mailcore.migration.models import MigrationJob

from ..access import admin_required, audit, managed_domains
from .forms import MigrationForm


def visible_jobs(user):
    """Jobs whose every target account is in a domain this admin manages."""
    if user.is_superuser:
        return MigrationJob.objects.all()
    domains = managed_domains(user)
    return (MigrationJob.objects.filter(accounts__target__domain__in=domains)
            .exclude(accounts__target__in=Account.objects.exclude(domain__in=domains)).distinct())


@admin_required
def job_list(request):
    return render(request, "panel/migration/job_list.html", {"jobs": visible_jobs(request.user)[:100]})


@admin_required
def job_create(request):
    form = MigrationForm(request.POST or None, domains=managed_domains(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = jobs.create_job(
                host=data["host"], port=data["port"], security=data["security"],
                verify_certificate=data["verify_certificate"], login_method=data["login_method"],
                admin_login=data["admin_login"], admin_password=data["admin_password"],
                accounts=data["accounts"], created_by=request.user, origin="panel")
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            targets = [target.address for _login, _password, target in data["accounts"]]
            audit(request, "migration.start", job, after={"server": f"{job.host}:{job.port}", "accounts": targets})
            return redirect("panel:migration_detail", pk=job.pk)
    return render(request, "panel/migration/job_create.html", {"form": form},
                  status=400 if form.errors else 200)


@admin_required
def job_detail(request, pk: int):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    return render(request, "panel/migration/job_detail.html", {
        "job": job, "rows": jobs.report(job), "running": job.state in (MigrationJob.QUEUED, MigrationJob.RUNNING)})

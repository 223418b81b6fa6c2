"""Pages of jobs, job fairs, applications, placements and the exchange of the two lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import acting_user
from shiliu.lib import clock
from shiliu.lib.downloads import xlsx_response

from . import exporters, imports, matching, selectors, services
from .forms import (
    AnswerForm,
    ApplyForm,
    FairForm,
    JobFilterForm,
    JobForm,
    PlacementForm,
    RetentionForm,
    SeekerListUploadForm,
    SeekerNeedForm,
)
from .views_common import attach, everyone, flash_error, form_page, readers

PAGE_SIZE = 20


@login_required
@everyone
def job_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = JobFilterForm(request.GET or None)
    filters = (
        {"query": form.cleaned_data["q"], "occupation": form.cleaned_data["occupation"]}
        if form.is_valid()
        else {}
    )
    jobs = selectors.job_list(user=user, **filters)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "resident": selectors.is_resident(user),
        "can_post": selectors.employer_choices(user=user).exists(),
    }
    return render(request, "livelihood/jobs.html", context)


@login_required
@readers
def job_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = JobForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        recruit = data.pop("recruit_from")
        try:
            job = services.job_create(actor=user, data=data, recruit_from=[recruit] if recruit else [])
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The post is published."))
            return redirect("livelihood:job", pk=job.pk)
    return form_page(request, form, title=_("Post a job"), cancel=reverse("livelihood:jobs"))


@login_required
@everyone
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    job = selectors.job_get(user=user, pk=pk)
    manages = not selectors.is_resident(user) and selectors.job_manages(user=user, job=job)
    context = {
        "job": job,
        "manages": manages,
        "resident": selectors.is_resident(user),
        "mine": selectors.application_list(user=user, job=job).first()
        if selectors.is_resident(user)
        else None,
        "applications": selectors.application_list(user=user, job=job) if manages else [],
        "apply_form": ApplyForm(),
        "today": clock.today(),
    }
    return render(request, "livelihood/job.html", context)


@login_required
@everyone
@require_POST
def job_apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    job = selectors.job_get(user=user, pk=pk)
    if not selectors.is_resident(user):
        raise PermissionDenied(_("Residents apply for posts."))
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            services.application_submit(actor=user, job=job, note=form.cleaned_data["note"])
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(
                request, _("Your application was sent to %(employer)s.") % {"employer": job.employer.name}
            )
            return redirect("livelihood:applications")
    context = {"job": job, "resident": True, "apply_form": form, "mine": None, "manages": False}
    return render(request, "livelihood/job.html", context, status=400)


@login_required
@readers
@require_POST
def job_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    job = selectors.job_get(user=user, pk=pk)
    try:
        services.job_close(actor=user, job=job)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The post is closed to applications."))
    return redirect("livelihood:job", pk=pk)


@login_required
@everyone
def application_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    apps = selectors.application_list(user=user)
    context = {
        "page": Paginator(apps, PAGE_SIZE).get_page(request.GET.get("page")),
        "resident": selectors.is_resident(user),
        "due": [] if selectors.is_resident(user) else selectors.retention_due(user=user)[:50],
        "query": "",
    }
    return render(request, "livelihood/applications.html", context)


@login_required
@readers
@require_POST
def application_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    application = selectors.application_get(user=user, pk=pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose accept or decline."))
        services.application_answer(
            actor=user,
            application=application,
            accept=form.cleaned_data["decision"] == "accept",
            answer=form.cleaned_data["answer"],
        )
    except (ValidationError, PermissionDenied) as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("The answer was sent."))
    return redirect("livelihood:job", pk=application.job_id)


@login_required
@everyone
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    application = selectors.application_get(user=user, pk=pk)
    try:
        services.application_withdraw(actor=user, application=application)
    except (ValidationError, PermissionDenied) as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect("livelihood:applications")


@login_required
@readers
def placement_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    application = selectors.application_get(user=user, pk=pk)
    form = PlacementForm(request.POST or None, initial={"started_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_record(actor=user, application=application, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The placement is recorded."))
            return redirect("livelihood:job", pk=application.job_id)
    title = _("Record the placement of %(name)s") % {
        "name": application.applicant.display_name or application.applicant.username
    }
    return form_page(request, form, title=title, cancel=reverse("livelihood:job", args=[application.job_id]))


@login_required
@readers
@require_POST
def placement_retention(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    placement = selectors.placement_list(user=user).filter(pk=pk).first()
    if placement is None:
        raise Http404
    form = RetentionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose whether the worker is still employed."))
        services.placement_retention(actor=user, placement=placement, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Retention recorded."))
    return redirect("livelihood:applications")


@login_required
@everyone
def fair_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    context = {"fairs": selectors.fair_list(user=user)[:100], "resident": selectors.is_resident(user)}
    return render(request, "livelihood/fairs.html", context)


@login_required
@everyone
def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    fair = selectors.fair_get(user=user, pk=pk)
    return render(
        request,
        "livelihood/fair.html",
        {
            "fair": fair,
            "jobs": fair.jobs.select_related("employer"),
            "manages": services.fair_manages(user=user, fair=fair),
        },
    )


@login_required
@readers
def fair_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = FairForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        jobs = list(data.pop("jobs") or [])
        try:
            fair = services.fair_create(
                actor=user,
                data=data,
                employers=sorted({j.employer for j in jobs}, key=lambda u: u.pk),
                jobs=jobs,
            )
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The job fair is recorded."))
            return redirect("livelihood:fair", pk=fair.pk)
    return form_page(request, form, title=_("Record a job fair"), cancel=reverse("livelihood:fairs"))


@login_required
@readers
def exchange(request: HttpRequest) -> HttpResponse:
    """The two lists side by side and where they meet: the seekers' list (求职需求清单) and the posts (岗位供给清单)."""
    user = acting_user(request)
    needs = list(selectors.seeker_need_list(user=user))
    jobs = list(selectors.job_list(user=user, open_only=True))
    result = matching.match(needs, jobs)
    return render(request, "livelihood/exchange.html", {"result": result, "needs": needs, "jobs": jobs})


@login_required
@readers
def exchange_export(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    needs = list(selectors.seeker_need_list(user=user))
    jobs = list(selectors.job_list(user=user, open_only=True))
    stamp = clock.now().strftime("%Y%m%d")
    return xlsx_response(
        exporters.lists_xlsx(needs, jobs, matching.match(needs, jobs)), f"job-lists-{stamp}.xlsx"
    )


@login_required
@readers
def seeker_need_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = SeekerNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.seeker_need_create(actor=user, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The row is added to the seekers' list."))
            return redirect("livelihood:exchange")
    return form_page(
        request, form, title=_("Add to the seekers' list"), cancel=reverse("livelihood:exchange")
    )


@login_required
@readers
def seeker_list_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(imports.template_bytes(), "seekers-list-template.xlsx")


@login_required
@readers
def seeker_list_import(request: HttpRequest) -> HttpResponse:
    """Upload a seekers' list from the template: every row checked, problems by row and column, all rows or none."""
    user = acting_user(request)
    form = SeekerListUploadForm(request.POST or None, request.FILES or None)
    problems: list[imports.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            created, problems = imports.seeker_list_import(actor=user, upload=form.cleaned_data["file"])
        except imports.FormatError as exc:
            form.add_error("file", str(exc))
        else:
            if not problems:
                messages.success(request, _("%(n)d rows added to the seekers' list.") % {"n": created})
                return redirect("livelihood:exchange")
    status = 400 if form.errors or problems else 200
    return render(request, "livelihood/import.html", {"form": form, "problems": problems}, status=status)

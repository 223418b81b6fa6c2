"""Pages of training: classes, sessions with their QR code, enrolment, attendance, certificates and their public
check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import acting_user
from shiliu.lib import clock

from . import certificates, selectors, services
from .forms import ClassForm, SessionForm, VerifyForm
from .models import Enrolment, TrainingSession
from .views_common import attach, everyone, flash_error, form_page, readers, residents_only


@login_required
@everyone
def class_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    resident = selectors.is_resident(user)
    classes = selectors.class_list(user=user).order_by("-starts_on", "-pk")[:100]
    mine = {e.training_class_id: e for e in selectors.my_enrolments(user=user)} if resident else {}
    context = {
        "classes": classes,
        "resident": resident,
        "mine": mine,
        "can_create": selectors.unit_choices(user=user).exists(),
    }
    return render(request, "livelihood/classes.html", context)


@login_required
@readers
def class_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ClassForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            klass = services.class_create(actor=user, data={**form.cleaned_data, "teacher": user})
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The class is created; add its sessions."))
            return redirect("livelihood:class", pk=klass.pk)
    return form_page(request, form, title=_("New training class"), cancel=reverse("livelihood:classes"))


@login_required
@everyone
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    klass = selectors.class_get(user=user, pk=pk)
    manages = not selectors.is_resident(user) and selectors.class_manages(user=user, klass=klass)
    mine = klass.enrolments.filter(learner=user).first() if selectors.is_resident(user) else None
    context = {
        "klass": klass,
        "manages": manages,
        "resident": selectors.is_resident(user),
        "mine": mine,
        "sessions": klass.sessions.all(),
        "enrolments": klass.enrolments.select_related("learner").order_by("pk") if manages else [],
        "session_form": SessionForm(),
        "today": clock.today(),
    }
    return render(request, "livelihood/class.html", context)


@login_required
@readers
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    klass = selectors.class_get(user=user, pk=pk)
    if not selectors.class_manages(user=user, klass=klass):
        raise Http404
    form = SessionForm(request.POST or None, initial={"held_on": max(klass.starts_on, clock.today())})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(actor=user, klass=klass, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The session is added."))
            return redirect("livelihood:class", pk=pk)
    return form_page(request, form, title=_("Add a session"), cancel=reverse("livelihood:class", args=[pk]))


@login_required
@residents_only
@require_POST
def class_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    klass = selectors.class_get(user=user, pk=pk)
    try:
        services.enrol(actor=user, klass=klass)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("You are enrolled in %(title)s.") % {"title": klass.title})
    return redirect("livelihood:class", pk=pk)


@login_required
@readers
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The teacher's page of a session: the QR code learners scan, and the roster to mark by hand."""
    user = acting_user(request)
    session = selectors.session_get(user=user, pk=pk)
    klass = session.training_class
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("present") if i.isdigit()]
        try:
            made = services.attendance_mark(
                actor=user, session=session, enrolments=list(klass.enrolments.filter(pk__in=ids))
            )
        except (ValidationError, PermissionDenied) as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("%(n)d learners marked present.") % {"n": made})
        return redirect("livelihood:session", pk=pk)
    url = request.build_absolute_uri(reverse("livelihood:attend", args=[session.token]))
    present = set(session.attendances.values_list("enrolment_id", flat=True))
    context = {
        "session": session,
        "klass": klass,
        "qr": certificates.session_qr_svg(url),
        "attend_url": url,
        "enrolments": klass.enrolments.select_related("learner").order_by("pk"),
        "present": present,
    }
    return render(request, "livelihood/session.html", context)


@login_required
@everyone
def attend(request: HttpRequest, token: str) -> HttpResponse:
    """Where the session's QR code leads: the learner confirms they are here (a button, so a link preview or a
    second scan records nothing by itself)."""
    user = acting_user(request)
    session = (
        TrainingSession.objects.select_related("training_class", "training_class__site")
        .filter(token=token[:32])
        .first()
    )
    if session is None:
        raise Http404
    error = ""
    done = False
    if request.method == "POST":
        try:
            services.attend_by_code(actor=user, token=session.token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            done = True
    context = {"session": session, "klass": session.training_class, "error": error, "done": done}
    return render(request, "livelihood/attend.html", context, status=400 if error else 200)


@login_required
@residents_only
def my_training(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(request, "livelihood/my_training.html", {"enrolments": selectors.my_enrolments(user=user)})


@login_required
@readers
@require_POST
def enrolment_complete(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    enrolment = selectors.enrolment_get_managed(user=user, pk=pk)
    try:
        services.enrolment_complete(actor=user, enrolment=enrolment)
    except (ValidationError, PermissionDenied) as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Certificate issued: %(code)s") % {"code": enrolment.certificate_code})
    return redirect("livelihood:class", pk=enrolment.training_class_id)


@login_required
@everyone
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    if selectors.is_resident(user):
        enrolment: Enrolment = selectors.enrolment_get_own(user=user, pk=pk)
    else:
        enrolment = selectors.enrolment_get_managed(user=user, pk=pk)
    if not enrolment.completed_on:
        raise Http404
    base = request.build_absolute_uri("/")[:-1]
    pdf = certificates.certificate_pdf(enrolment=enrolment, base_url=base)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{enrolment.certificate_code}.pdf"'
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone holding a certificate's code checks it (the learner's name is shown masked)."""
    form = VerifyForm(request.GET or None)
    found = None
    checked = False
    if form.is_valid():
        checked = True
        found = selectors.certificate_find(code=form.cleaned_data["code"])
    context = {"form": form, "found": found, "checked": checked}
    return render(request, "livelihood/verify.html", context)

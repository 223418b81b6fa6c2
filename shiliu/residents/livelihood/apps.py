"""Start-up of the livelihood services (called from the residents app's ``ready()``): audit and reminders."""

from __future__ import annotations


def livelihood_ready() -> None:
    from auditlog.registry import auditlog

    from shiliu.notifications.reminders import register as register_reminder

    from . import models
    from .tasks import remind_livelihood

    for model in (
        models.Job,
        models.JobFair,
        models.Application,
        models.Placement,
        models.SeekerNeed,
        models.TrainingClass,
        models.TrainingSession,
        models.Enrolment,
        models.Attendance,
        models.VolunteerTeam,
        models.VolunteerHours,
        models.KinshipPairing,
        models.KinshipVisit,
        models.KinshipAid,
    ):
        auditlog.register(model)
    register_reminder("livelihood", remind_livelihood)

    from . import derived

    derived.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "shiliu.culture"
    label = "culture"
    verbose_name = _("Culture")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shiliu.exchanges.ledger.derived import register_source

        from . import lectures, models

        register_source(lectures.SOURCE_KIND, _("Publicity lecture"), lectures.lecture_url)

        for model in (
            models.Item,
            models.Bearer,
            models.Media,
            models.Exhibition,
            models.Venue,
            models.LectureSeries,
            models.Lecture,
            models.Course,
            models.Lesson,
            models.Enrollment,
        ):
            auditlog.register(model)

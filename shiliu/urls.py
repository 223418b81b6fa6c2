from django.contrib import admin
from django.urls import include, path

from shiliu.accounts import views as account_views
from shiliu.web.api import api

handler400 = "shiliu.web.views.error_400"
handler403 = "shiliu.web.views.error_403"
handler404 = "shiliu.web.views.error_404"
handler500 = "shiliu.web.views.error_500"

urlpatterns = [
    path("", include("shiliu.web.urls")),
    path("accounts/", include("shiliu.accounts.urls")),
    path("units/", include("shiliu.orgs.urls")),
    path("pairings/", include("shiliu.pairings.urls")),
    path("exchanges/", include("shiliu.exchanges.urls")),
    path("residents/", include("shiliu.residents.urls")),
    path("culture/", include("shiliu.culture.urls")),
    path("livelihood/", include("shiliu.residents.livelihood.urls")),
    path("indicators/", include("shiliu.indicators.urls")),
    path("notifications/", include("shiliu.notifications.urls")),
    path("exports/", include("shiliu.runtime.urls")),
    path("reports/", include("shiliu.reports.urls")),
    path("audit/", account_views.audit_log, name="audit_log"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# Uploaded files are never served from a public path, not even in DEBUG: agreements, evidence and photos go through
# views that check the viewer's jurisdiction (pairings:agreement_document, exchanges:evidence_file, …).

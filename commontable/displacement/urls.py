
from commontable.displacement import urls_policies, urls_reports

app_name = "displacement"
urlpatterns = [
    *urls_policies.urlpatterns,
    *urls_reports.urlpatterns,
]

"""Adds "Missing now" and "At risk of exploitation" to the record's list of services now."""

from django.db.models import Exists, OuterRef, Subquery

from opencsc.casework.summary import register_service_check

from .models import ExploitationAssessment, MissingEpisode, RiskLevel


def _expressions():
    latest = ExploitationAssessment.objects.filter(child=OuterRef("pk")).order_by("-assessed_on", "-id")
    return {
        "missing": Exists(MissingEpisode.objects.filter(child=OuterRef("pk"), ended_at__isnull=True)),
        "assessed": Exists(latest),
        "sexual_risk": Subquery(latest.values("sexual_risk")[:1]),
        "criminal_risk": Subquery(latest.values("criminal_risk")[:1]),
    }


@register_service_check(_expressions, section="missing:overview")
def missing_services(values) -> list[str]:
    labels = []
    if values["missing"]:
        labels.append("Missing now")
    if values["assessed"] and (values["sexual_risk"] != RiskLevel.NONE or values["criminal_risk"] != RiskLevel.NONE):
        labels.append("At risk of exploitation")
    return labels

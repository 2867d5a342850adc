"""Adds "Missing now" and "At risk of exploitation" to the record's list of services now."""

from opencsc.casework.summary import register_service_source


@register_service_source
def missing_services(child) -> list[str]:
    from .models import ExploitationAssessment, MissingEpisode, RiskLevel

    labels = []
    if MissingEpisode.objects.filter(child=child, ended_at__isnull=True).exists():
        labels.append("Missing now")
    latest = ExploitationAssessment.objects.filter(child=child).order_by("-assessed_on", "-id").first()
    if latest is not None and (latest.sexual_risk != RiskLevel.NONE or latest.criminal_risk != RiskLevel.NONE):
        labels.append("At risk of exploitation")
    return labels

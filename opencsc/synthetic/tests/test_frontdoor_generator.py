"""The front door step of the synthetic authority: volumes, rates, links to episodes, validity."""

import datetime as dt

import pytest
from django.utils import timezone

from opencsc.assessment.models import CINEpisode
from opencsc.codes import REFERRAL_SOURCE
from opencsc.frontdoor import rules
from opencsc.frontdoor.models import (
    Contact,
    ContactChild,
    DomesticAbuseNotification,
    EncompassNotice,
    InformationRequest,
)
from opencsc.synthetic.testing import SHARED

TODAY = dt.date(2026, 11, 23)
SIZE = SHARED["size"]




pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def _volumes_and_conversion_look_like_a_real_front_door():
    contacts = Contact.objects.count()
    assert 0.5 * 11_000 * SIZE < contacts < 1.3 * 11_000 * SIZE
    decided = Contact.objects.filter(decided_at__isnull=False)
    referrals = decided.filter(outcome__in=["referral", "strategy"]).count() / decided.count()
    assert 0.18 < referrals < 0.32
    assert Contact.objects.filter(out_of_hours=True).exists()
    assert ContactChild.objects.count() > contacts  # some contacts name brothers and sisters


def _referrals_link_to_the_episodes_received_shortly_before():
    start = TODAY - dt.timedelta(days=365)
    recent = CINEpisode.objects.filter(referral_date__gt=start, referral_date__lte=TODAY)
    first_contacts = {}
    for link in ContactChild.objects.filter(episode__in=recent).select_related("contact", "episode"):
        assert link.contact.outcome in ("referral", "strategy", "")
        received = timezone.localdate(link.contact.received_at)
        assert link.episode.closure_date is None or received <= link.episode.closure_date
        first_contacts.setdefault(link.episode_id, []).append((received, link.contact, link.episode))
    assert set(first_contacts) == set(recent.values_list("pk", flat=True))
    for rows in first_contacts.values():
        received, contact, episode = min(rows, key=lambda row: row[0])
        assert 0 <= (episode.referral_date - received).days <= 7  # up to 2 working days, over Easter
        assert timezone.localdate(contact.decided_at) == episode.referral_date


def _most_decisions_are_in_time_and_some_are_late_or_waiting():
    decided = list(Contact.objects.filter(decided_at__isnull=False).values_list("received_at", "decided_at"))
    in_time = sum(rules.decided_in_time(timezone.localdate(r), timezone.localdate(d)) for r, d in decided)
    assert 0.75 < in_time / len(decided) < 0.95
    assert Contact.objects.filter(decided_at__isnull=True).exists()


def _records_are_valid():
    now = timezone.now() + dt.timedelta(days=1)
    for contact in Contact.objects.all():
        assert contact.referral_source in REFERRAL_SOURCE
        assert contact.received_at <= now
        if contact.decided_at:
            assert contact.screened_at and contact.received_at <= contact.screened_at <= contact.decided_at
            assert contact.outcome and contact.level_of_need and contact.decision_rationale
        else:
            assert not contact.outcome
    for notification in DomesticAbuseNotification.objects.select_related("contact"):
        assert notification.contact.referral_source == "6"
        assert notification.incident_at < notification.contact.received_at
    for notice in EncompassNotice.objects.select_related("notification"):
        assert notice.told_at > notice.notification.incident_at


def _domestic_abuse_schools_and_partner_requests():
    assert DomesticAbuseNotification.objects.count() > 0
    assert EncompassNotice.objects.count() > 0
    requests = InformationRequest.objects.all()
    assert set(requests.values_list("agency", flat=True)) == {"police", "health", "education", "probation",
                                                              "housing"}
    for r in requests[:500]:
        assert r.due_at == rules.request_due(r.requested_at, r.rag)
    answered = requests.filter(responded_at__isnull=False)
    late = sum(1 for r in answered if r.responded_at > r.due_at) / answered.count()
    assert 0.05 < late < 0.25
    assert requests.filter(responded_at__isnull=True).exists()


def test_the_front_door_step(authority):
    """One authority for every check: generating it is the slow part."""
    _volumes_and_conversion_look_like_a_real_front_door()
    _referrals_link_to_the_episodes_received_shortly_before()
    _most_decisions_are_in_time_and_some_are_late_or_waiting()
    _records_are_valid()
    _domestic_abuse_schools_and_partner_requests()

"""The retention pages, as managers and administrators use them."""

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.accounts.models import AccessLog
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.models import AuditEvent
from opencsc.people.models import Child
from opencsc.retention.models import DestructionRecord, DestructionRequest, LegalHold, RetentionRule

from .helpers import child

D = dt.date
pytestmark = pytest.mark.django_db


def _form_token(client, url):
    import re

    html = client.get(url).content.decode()
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    return {"form_token": match.group(1)} if match else {}


def test_a_manager_approves_and_another_confirms(client, periods):
    old = child(D(1990, 1, 1))
    young = child(D(2010, 1, 1))
    tm, sm = UserFactory(role="team_manager"), UserFactory(role="service_manager")
    client.force_login(tm)
    page = client.get(reverse("retention:report"))
    html = page.content.decode()
    assert old.la_child_id in html and young.la_child_id not in html
    assert "Other children&#x27;s records: until the child&#x27;s 25th birthday" in html
    assert "1 Jan 2015" in html  # the keep-until date, as dates are shown
    assert AccessLog.objects.filter(user=tm, child=old, outcome="viewed").exists()

    url = reverse("retention:report")
    response = client.post(url, {"children": [old.pk], "reason": "Annual review", **_form_token(client, url)})
    request = DestructionRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("retention:request", args=[request.pk])

    detail = reverse("retention:request", args=[request.pk])
    html = client.get(detail).content.decode()
    assert "a different manager must confirm it" in html
    # The approver cannot confirm: the only choice offered is to withdraw, and a forged "confirm" is refused.
    client.post(detail, {"decision": "confirm", **_form_token(client, detail)})
    assert Child.objects.filter(pk=old.pk).exists() and DestructionRequest.objects.get().status == "pending"

    client.force_login(sm)
    response = client.post(detail, {"decision": "confirm", **_form_token(client, detail)})
    assert response.status_code == 302
    assert not Child.objects.filter(pk=old.pk).exists()
    assert DestructionRecord.objects.get().la_child_id == old.la_child_id
    html = client.get(reverse("retention:destroyed")).content.decode()
    assert old.la_child_id in html and old.last_name not in html


def test_approving_needs_a_selection_and_a_reason(client, periods):
    child(D(1990, 1, 1))
    client.force_login(UserFactory(role="service_manager"))
    url = reverse("retention:report")
    response = client.post(url, {"reason": "", **_form_token(client, url)})
    html = response.content.decode()
    assert "Select the records to approve for destruction" in html and "Enter why these records may be destroyed" in html
    assert not DestructionRequest.objects.exists()


@pytest.mark.parametrize("record_class, data, error", [
    ("looked_after", {"years": "60", "after_death_years": "15"},
     "Records of children looked after must be kept for at least 75 years: that is the law&#x27;s minimum"),
    ("looked_after", {"years": "75", "after_death_years": "10"},
     "After a child&#x27;s death, records of children looked after must be kept for at least 15 years"),
    ("adoption", {"years": "90"}, "Adoption case records must be kept for at least 100 years"),
    ("other", {"years": "16"}, "Other children&#x27;s records must be kept for at least 18 years: that is the lowest"),
])
def test_a_period_cannot_be_shortened_below_its_floor(client, periods, record_class, data, error):
    rule = RetentionRule.objects.get(record_class=record_class)
    client.force_login(UserFactory(role="administrator"))
    url = reverse("retention:rule_edit", args=[record_class])
    response = client.post(url, {"version": rule.version, **data, **_form_token(client, url)})
    assert response.status_code == 200 and error in response.content.decode()
    rule.refresh_from_db()
    assert rule.version == 1 and not AuditEvent.objects.filter(action="updated").exists()


def test_a_local_period_is_changed_and_audited(client, periods):
    child(D(2003, 1, 1))  # 23 in 2026: kept under the default 25 years, past under 20
    rule = RetentionRule.objects.get(record_class="other")
    admin = UserFactory(role="administrator")
    client.force_login(admin)
    url = reverse("retention:rule_edit", args=["other"])
    response = client.post(url, {"version": rule.version, "years": "20", **_form_token(client, url)})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.years, rule.updated_by) == (20, admin)
    event = AuditEvent.objects.get(action="updated")
    assert event.actor == admin and event.changes["years"] == [25, 20]
    assert "Until the child&#x27;s 20th birthday" in client.get(reverse("retention:rules")).content.decode()


def test_a_statutory_period_can_be_lengthened(client, periods):
    client.force_login(UserFactory(role="service_manager"))
    url = reverse("retention:rule_edit", args=["looked_after"])
    client.post(url, {"version": 1, "years": "80", "after_death_years": "20", **_form_token(client, url)})
    rule = RetentionRule.objects.get(record_class="looked_after")
    assert (rule.years, rule.after_death_years) == (80, 20)


def test_a_team_manager_cannot_change_a_period(client, periods):
    client.force_login(UserFactory(role="team_manager"))
    url = reverse("retention:rule_edit", args=["other"])
    assert client.post(url, {"version": 1, "years": "20"}).status_code == 403
    assert RetentionRule.objects.get(record_class="other").years == 25


def test_a_hold_is_placed_and_released(client, periods):
    kid = child(D(1990, 1, 1))
    client.force_login(UserFactory(role="team_manager"))
    url = reverse("retention:holds")
    response = client.post(url, {"la_child_id": kid.la_child_id, "reason": "Claim against the authority",
                                 **_form_token(client, url)})
    assert response.status_code == 302
    hold = LegalHold.objects.get(child=kid)
    assert kid.la_child_id not in client.get(reverse("retention:report")).content.decode().split("May be destroyed")[1]
    again = client.post(url, {"la_child_id": kid.la_child_id, "reason": "Again", **_form_token(client, url)})
    assert "already on legal hold" in again.content.decode()
    release = reverse("retention:hold_release", args=[hold.pk])
    client.post(release, {"reason": "Claim settled", **_form_token(client, release)})
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.release_reason == "Claim settled"
    assert AuditEvent.objects.filter(child_id=kid.pk).count() == 2


def test_a_hold_on_a_child_the_manager_cannot_see_is_refused(client, periods):
    kid = child(D(1990, 1, 1), is_restricted=True)
    client.force_login(UserFactory(role="team_manager"))
    url = reverse("retention:holds")
    response = client.post(url, {"la_child_id": kid.la_child_id, "reason": "Claim", **_form_token(client, url)})
    assert "Enter the LA child ID of a child whose record you can see" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_an_administrator_sees_the_periods_not_the_children(client, periods):
    child(D(1990, 1, 1))
    client.force_login(UserFactory(role="administrator"))
    assert client.get(reverse("retention:report")).status_code == 403
    html = client.get(reverse("retention:rules")).content.decode()
    assert "Care Planning, Placement and Case Review (England) Regulations 2010" in html


@pytest.mark.parametrize("role, url", [
    ("team_manager", "/retention/"), ("service_manager", "/retention/"), ("administrator", "/retention/periods/"),
    ("auditor", "/retention/periods/"), ("social_worker", None), ("partner", None),
])
def test_the_navigation_shows_retention_to_who_may_use_it(role, url):
    from opencsc.core.navigation import items_for

    user = UserFactory(role=role, **({"agency": "police"} if role == "partner" else {}))
    found = [i["url"] for i in items_for(user, "/") if i["label"] == "Records retention"]
    assert found == ([url] if url else [])

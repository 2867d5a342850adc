"""Shortcuts to build a child's protection history through the services (the way users do)."""

import datetime as dt

from opencsc.assessment import services as assessment_services
from opencsc.assessment.models import CINEpisode
from opencsc.protection import services

POLICE = {"name": "DC Amira Shah", "agency": "Police", "role": "Detective constable", "status": "attended"}
HEALTH = {"name": "Jo Platt", "agency": "Health", "role": "Health visitor", "status": "absent"}
ACTION = {
    "what_must_change": "Sam is safe at home in the evenings",
    "action": "Mother completes a parenting programme",
    "responsible": "Ms Dean",
    "responsible_agency": "Early help",
    "due_date": dt.date(2025, 6, 30),
    "measure": "Programme completed and no further police call-outs",
}


def referral(actor, child, on, **kwargs):
    """Open an episode of need for the child (through the referral service)."""
    values = {"referral_source": "6", "primary_need": "N1"}
    values.update(kwargs)
    return assessment_services.referral_create(actor=actor, child=child, referral_date=on, **values)


def open_episode(actor, child, on):
    """The child's open episode of need, opened by a referral on `on` if there is none.

    An open episode that started after `on` is moved back to `on` (test data only), so that older
    fixtures that make an episode first and a plan on an earlier date keep working.
    """
    episode = CINEpisode.objects.filter(child=child, closure_date__isnull=True).first()
    if episode is None:
        return referral(actor, child, on)
    if episode.referral_date > on:
        CINEpisode.objects.filter(pk=episode.pk).update(referral_date=on)
        episode.refresh_from_db()
    return episode


def strategy(actor, child, held_on, decision="s47", **kwargs):
    """A strategy discussion (by default deciding on a section 47 enquiry), in an episode of need."""
    open_episode(actor, child, held_on)
    values = {"information_shared": "Police call-out; bruising seen at school", "attendance": [POLICE, HEALTH]}
    values.update(kwargs)
    return services.strategy_discussion_record(actor=actor, child=child, held_on=held_on, decision=decision,
                                               **values)


def icpc(actor, child, section47, held_on, decision="plan", category="NEG", **kwargs):
    return services.conference_record(actor=actor, child=child, kind="initial", held_on=held_on,
                                      decision=decision, category=category, section47=section47,
                                      attendance=[POLICE], **kwargs)


def cp_plan(actor, child, start, end=None):
    """A plan from a strategy discussion on `start`, an ICPC the same day, ended on `end` if given.

    Opens an episode of need by a referral on `start` if the child has no open episode.
    """
    open_episode(actor, child, start)
    discussion = strategy(actor, child, start)
    conference = icpc(actor, child, discussion.section47, start)
    plan = services.cp_plan_start(actor=actor, conference=conference, contingency="Legal planning meeting",
                                  actions=[ACTION])
    if end:
        services.cp_plan_end(actor=actor, cp_plan=plan, end_date=end, end_reason="no_longer_at_risk")
    return plan

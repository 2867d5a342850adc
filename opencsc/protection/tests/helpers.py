"""Shortcuts to build a child's protection history through the services (the way users do)."""

import datetime as dt

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


def strategy(actor, child, held_on, decision="s47", **kwargs):
    values = {"information_shared": "Police call-out; bruising seen at school", "attendance": [POLICE, HEALTH]}
    values.update(kwargs)
    return services.strategy_discussion_record(actor=actor, child=child, held_on=held_on, decision=decision,
                                               **values)


def icpc(actor, child, section47, held_on, decision="plan", category="NEG", **kwargs):
    return services.conference_record(actor=actor, child=child, kind="initial", held_on=held_on,
                                      decision=decision, category=category, section47=section47,
                                      attendance=[POLICE], **kwargs)


def cp_plan(actor, child, start, end=None):
    """A plan from a strategy discussion on `start`, an ICPC the same day, ended on `end` if given."""
    discussion = strategy(actor, child, start)
    conference = icpc(actor, child, discussion.section47, start)
    plan = services.cp_plan_start(actor=actor, conference=conference, contingency="Legal planning meeting",
                                  actions=[ACTION])
    if end:
        services.cp_plan_end(actor=actor, cp_plan=plan, end_date=end, end_reason="no_longer_at_risk")
    return plan

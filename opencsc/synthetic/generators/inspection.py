"""The synthetic authority's last inspections and their action plans.

Two inspections, entered through the inspection app's services as a service manager would enter them:
- an ILACS standard inspection whose final report arrived about 50 working days before "today", so the
  70-working-day deadline for the action plan is close and the plan page has something urgent to show.
  Its areas for improvement are those of a real report (seed 004), each linked to the indicators that
  measure it, with 8 to 12 actions owned by managers and a social worker: some done with evidence of
  impact, some in progress, a few overdue;
- an earlier focused visit with two areas for priority action (seed 002), whose plan was sent on time.

The numbers are fixed (an authority has one recent inspection, whatever its size), so they do not scale.
"""

from __future__ import annotations

import datetime as dt

from opencsc.accounts.models import User
from opencsc.accounts.roles import Role
from opencsc.inspection import services
from opencsc.inspection.models import Action, Inspection, Judgement
from opencsc.timescales.authority import authority_calendar

from ..context import GenerationContext

# From the "What needs to improve" list of an ILACS report (seed 004), with the indicators that measure each.
ILACS_AREAS = (
    ("The quality of initial strategy discussions so that all relevant partner information is included in "
     "order to inform decision-making.", ["icpc_15wd", "contacts_decided_1wd"]),
    ("The timeliness and quality of return home interviews when children are reported missing from home and "
     "care.", ["rhi_72_hours"]),
    ("The understanding of children in care regarding their rights to complain and access independent "
     "advocacy.", ["cla_reviews_in_time"]),
    ("Timely and effective permanence plans for all children, including those who live permanently in a "
     "long-term foster placement.", ["stability_long_term", "a10_days"]),
)
# From a focused visit letter (seed 002): its two areas for priority action.
FOCUSED_AREAS = (
    ("The timeliness and effectiveness of social work practice and interventions to safeguard children from "
     "harm.", ["cp_visits_in_time", "assessments_45wd"]),
    ("The quality and effectiveness of managerial oversight and supervision to ensure that children's "
     "circumstances improve within their timeframe.", ["average_caseload"]),
)
ACTIONS = (
    "Agree a partner information checklist for every strategy discussion and audit its use monthly.",
    "Police and health representatives attend every initial strategy discussion, in person or online.",
    "Commission return home interviews from one provider with a 72-hour standard in the contract.",
    "Weekly list of return home interviews not held within 72 hours to the service manager.",
    "Every child in care is told about advocacy at each review; IROs record how it was explained.",
    "Rewrite the children's guide to complaints with the Children in Care Council.",
    "Permanence planning meeting for every child by their second looked-after review.",
    "Tracker of children in long-term foster care without a permanence plan, reviewed monthly.",
    "Practice week on long-term fostering matches, with the fostering service.",
    "Report the permanence tracker to the corporate parenting board each quarter.",
    "Re-audit a sample of strategy discussions six months on.",
)
IMPACT = (
    "Audit of 20 strategy discussions in October: partner information recorded in 18.",
    "Return home interviews within 72 hours up from 54% to 71% over the quarter.",
    "Advocacy take-up doubled since the guide was rewritten.",
)


def generate_inspection(ctx: GenerationContext) -> None:
    rng = ctx.rng("inspection")
    calendar = authority_calendar()
    manager = ctx.demo_users.get("sm.demo") or User.objects.filter(role=Role.SERVICE_MANAGER).first()
    if manager is None:
        return
    owners = list(User.objects.filter(role__in=[Role.TEAM_MANAGER, Role.SERVICE_MANAGER], is_active=True)
                  .order_by("pk")[:8])
    if ctx.demo_users.get("sw.demo"):
        owners.append(ctx.demo_users["sw.demo"])
    owners = owners or [manager]

    received = calendar.add_working_days(ctx.today, -50, count_start_day=False)
    ended = received - dt.timedelta(days=35)
    ilacs = services.inspection_create(
        actor=manager, kind=Inspection.Kind.ILACS_STANDARD, started_on=ended - dt.timedelta(days=11),
        ended_on=ended, report_received_on=received, published_on=received + dt.timedelta(days=7),
        overall_judgement=Judgement.GOOD, leaders_judgement=Judgement.GOOD,
        help_and_protection_judgement=Judgement.GOOD, children_in_care_judgement=Judgement.REQUIRES_IMPROVEMENT,
        care_leavers_judgement=Judgement.GOOD,
    )
    services.areas_add_from_text(actor=manager, inspection=ilacs, text="\n".join(text for text, _ in ILACS_AREAS))
    _link_indicators(manager, ilacs, ILACS_AREAS)
    areas = list(ilacs.areas.order_by("order"))
    count = 8 + rng.randrange(5)
    for n in range(count):
        area = areas[n % len(areas)]
        # Every fourth action was due within weeks of the report and has not started: overdue on the plan.
        due = received + dt.timedelta(days=rng.randrange(20, 50) if n % 4 == 3 else rng.randrange(20, 200))
        action = services.action_create(actor=manager, area=area, description=ACTIONS[n % len(ACTIONS)],
                                        owner=owners[n % len(owners)], due_on=due)
        _progress(manager, action, rng, ctx.today, n)

    focused_received = ctx.today - dt.timedelta(days=420)
    focused = services.inspection_create(
        actor=manager, kind=Inspection.Kind.FOCUSED_VISIT, started_on=focused_received - dt.timedelta(days=30),
        ended_on=focused_received - dt.timedelta(days=29), report_received_on=focused_received,
        published_on=focused_received + dt.timedelta(days=5),
    )
    services.areas_add_from_text(actor=manager, inspection=focused, is_priority_action=True,
                                 text="\n".join(text for text, _ in FOCUSED_AREAS))
    _link_indicators(manager, focused, FOCUSED_AREAS)
    services.inspection_update(actor=manager, inspection=focused, expected_version=focused.version,
                               plan_submitted_on=focused_received + dt.timedelta(days=80))
    ctx.counts["inspections"] = Inspection.objects.count()
    ctx.counts["inspection_actions"] = Action.objects.count()


def _link_indicators(actor, inspection: Inspection, areas) -> None:
    for area, (_, keys) in zip(inspection.areas.order_by("order"), areas, strict=True):
        services.area_update(actor=actor, area=area, expected_version=area.version, text=area.text,
                             is_priority_action=area.is_priority_action, order=area.order, indicator_keys=keys)


def _progress(actor, action: Action, rng, today: dt.date, n: int) -> None:
    """Most actions have moved on; a third are done (some with impact recorded); a few are left overdue."""
    if action.due_on < today and n % 4 == 3:
        return  # not started and past its date: overdue on the plan
    roll = rng.random()
    if roll < 0.35 and action.due_on - dt.timedelta(days=10) < today:
        done_on = min(today, action.due_on - dt.timedelta(days=rng.randrange(0, 10)))
        services.action_progress(actor=actor, action=action, expected_version=action.version,
                                 note="Completed and checked at the improvement board.", status=Action.Status.DONE,
                                 evidence_of_impact=IMPACT[n % len(IMPACT)], completed_on=done_on)
    elif roll < 0.85:
        services.action_progress(actor=actor, action=action, expected_version=action.version,
                                 note="Work under way; first findings to the next improvement board.",
                                 status=Action.Status.IN_PROGRESS)

"""The synthetic authority's last inspections and their action plans.

Two inspections, as a service manager would have entered them (written as records, dated by the authority's
"today", so that an authority generated as at a later day works too):
- an ILACS standard inspection whose final report arrived about 50 working days before "today", so the
  70-working-day deadline for the action plan is close and the plan page has something urgent to show.
  Its areas for improvement are those of a real report (seed 004), each linked to the indicators that
  measure it, with 8 to 12 actions owned by managers and a social worker: some done with evidence of
  impact, some in progress, a few overdue. Each action sits under the area it answers (`belongs`);
- an earlier focused visit with two areas for priority action (seed 002), whose plan was sent on time and
  whose actions are done.

The numbers are fixed (an authority has one recent inspection, whatever its size), so they do not scale.
"""

from __future__ import annotations

import datetime as dt

from opencsc.accounts.models import User
from opencsc.accounts.roles import Role
from opencsc.inspection.models import Action, ActionUpdate, AreaForImprovement, Inspection, Judgement
from opencsc.timescales.authority import authority_calendar

from ..context import GenerationContext, historical_timestamps

# From the "What needs to improve" list of an ILACS report (seed 004): each area, the indicators that
# measure it, and the actions of the authority's plan that answer it (with evidence of impact for when done).
ILACS_AREAS = (
    ("The quality of initial strategy discussions so that all relevant partner information is included in "
     "order to inform decision-making.", ["icpc_15wd", "contacts_decided_1wd"],
     ("Agree a partner information checklist for every strategy discussion and audit its use monthly.",
      "Police and health representatives attend every initial strategy discussion, in person or online.",
      "Re-audit a sample of strategy discussions six months on."),
     "Audit of 20 strategy discussions in October: partner information recorded in 18."),
    ("The timeliness and quality of return home interviews when children are reported missing from home and "
     "care.", ["rhi_72_hours"],
     ("Commission return home interviews from one provider with a 72-hour standard in the contract.",
      "Weekly list of return home interviews not held within 72 hours to the service manager.",
      "Quarterly audit of return home interviews: what children said and what changed in their plans."),
     "Return home interviews within 72 hours up from 54% to 71% over the quarter."),
    ("The understanding of children in care regarding their rights to complain and access independent "
     "advocacy.", ["cla_reviews_in_time"],
     ("Every child in care is told about advocacy at each review; IROs record how it was explained.",
      "Rewrite the children's guide to complaints with the Children in Care Council.",
      "Advocacy service attends the Children in Care Council each term."),
     "Advocacy take-up doubled since the guide was rewritten."),
    ("Timely and effective permanence plans for all children, including those who live permanently in a "
     "long-term foster placement.", ["stability_long_term", "a10_days"],
     ("Permanence planning meeting for every child by their second looked-after review.",
      "Tracker of children in long-term foster care without a permanence plan, reviewed monthly.",
      "Practice week on long-term fostering matches, with the fostering service.",
      "Report the permanence tracker to the corporate parenting board each quarter."),
     "Every child at their second review now has a permanence plan agreed (tracker, November)."),
)
# From a focused visit letter (seed 002): its two areas for priority action, and the plan's actions (done).
FOCUSED_AREAS = (
    ("The timeliness and effectiveness of social work practice and interventions to safeguard children from "
     "harm.", ["cp_visits_in_time", "assessments_45wd"],
     ("Weekly performance clinic on child protection visits and assessments out of time, chaired by the head "
      "of service.",
      "Caseloads in the child protection teams brought under 18 by recruiting four permanent social workers."),
     "Child protection visits in time up from 78% to 93% over six months."),
    ("The quality and effectiveness of managerial oversight and supervision to ensure that children's "
     "circumstances improve within their timeframe.", ["average_caseload"],
     ("Monthly supervision for every social worker, recorded on the child's file with actions and dates.",
      "Managers' practice standard for oversight, with a monthly audit of ten children's files."),
     "Audited files with purposeful oversight recorded up from 40% to 85%."),
)


def belongs(area_text: str, description: str) -> bool:
    """True when `description` is one of the actions the plan gives for the area `area_text`."""
    return any(text == area_text and description in actions for text, _, actions, _ in ILACS_AREAS + FOCUSED_AREAS)


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
    today = ctx.today

    # Written as the records themselves (not through the services, which date things by the real today), so
    # that an authority generated "as at" a later day has its inspections too.
    received = calendar.add_working_days(today, -50, count_start_day=False)
    ended = received - dt.timedelta(days=35)
    ilacs = _inspection(ctx, manager, kind=Inspection.Kind.ILACS_STANDARD, started_on=ended - dt.timedelta(days=11),
                        ended_on=ended, report_received_on=received, published_on=received + dt.timedelta(days=7),
                        overall_judgement=Judgement.GOOD, leaders_judgement=Judgement.GOOD,
                        help_and_protection_judgement=Judgement.GOOD,
                        children_in_care_judgement=Judgement.REQUIRES_IMPROVEMENT,
                        care_leavers_judgement=Judgement.GOOD)
    areas = _areas(ctx, manager, ilacs, ILACS_AREAS, priority=False)
    count = 8 + rng.randrange(5)
    for n in range(count):
        # Round the areas in turn, each area's actions in the plan's order: every action under its own area.
        index = n % len(areas)
        area, (_, _, descriptions, impact) = areas[index], ILACS_AREAS[index]
        # Every third action was due within weeks of the report and has not started: overdue on the plan.
        overdue = n % 3 == 2
        due = received + dt.timedelta(days=rng.randrange(20, 50) if overdue else rng.randrange(20, 200))
        action = _action(ctx, manager, area, descriptions[n // len(areas)], owners[n % len(owners)], due, received)
        if not (overdue and due < today):
            _progress(ctx, manager, action, rng, impact)

    focused_received = today - dt.timedelta(days=420)
    focused = _inspection(ctx, manager, kind=Inspection.Kind.FOCUSED_VISIT,
                          started_on=focused_received - dt.timedelta(days=30),
                          ended_on=focused_received - dt.timedelta(days=29), report_received_on=focused_received,
                          published_on=focused_received + dt.timedelta(days=5),
                          plan_submitted_on=focused_received + dt.timedelta(days=80))
    for n, (area, (_, _, descriptions, impact)) in enumerate(
            zip(_areas(ctx, manager, focused, FOCUSED_AREAS, priority=True), FOCUSED_AREAS, strict=True)):
        for k, description in enumerate(descriptions):
            due = focused_received + dt.timedelta(days=90 + 60 * k)
            action = _action(ctx, manager, area, description, owners[(n + k) % len(owners)], due, focused_received)
            _write_update(ctx, manager, action, "Completed and checked at the improvement board.",
                          Action.Status.DONE, impact, min(today, due - dt.timedelta(days=rng.randrange(0, 20))))
    ctx.counts["inspections"] = Inspection.objects.count()
    ctx.counts["inspection_actions"] = Action.objects.count()


def _inspection(ctx, actor, **values) -> Inspection:
    moment = ctx.at(values.get("report_received_on") or values["ended_on"], 11)
    inspection = Inspection(created_by=actor, created_at=moment, updated_at=moment, **values)
    inspection.full_clean()
    with historical_timestamps(Inspection, "created_at", "updated_at"):
        inspection.save()
    return inspection


def _areas(ctx, actor, inspection: Inspection, table, *, priority: bool) -> list[AreaForImprovement]:
    moment = ctx.at(inspection.report_received_on, 14)
    out = []
    with historical_timestamps(AreaForImprovement, "created_at", "updated_at"):
        for order, (text, keys, _, _) in enumerate(table, start=1):
            area = AreaForImprovement(inspection=inspection, text=text, is_priority_action=priority, order=order,
                                      indicator_keys=list(keys), created_by=actor, created_at=moment,
                                      updated_at=moment)
            area.full_clean()
            area.save()
            out.append(area)
    return out


def _action(ctx, actor, area, description: str, owner, due: dt.date, received: dt.date) -> Action:
    moment = ctx.at(received + dt.timedelta(days=10), 10)
    action = Action(area=area, description=description, owner=owner, due_on=due, created_by=actor,
                    created_at=moment, updated_at=moment)
    action.full_clean()
    with historical_timestamps(Action, "created_at", "updated_at"):
        action.save()
    return action


def _write_update(ctx, actor, action: Action, note: str, status: str, impact: str = "",
                  done_on: dt.date | None = None) -> None:
    written = ctx.at(min(ctx.today, done_on or action.due_on - dt.timedelta(days=30)), 15)
    written = max(written, action.created_at)
    action.status, action.evidence_of_impact, action.completed_on = status, impact, done_on
    action.version += 1
    action.updated_at = written
    with historical_timestamps(Action, "created_at", "updated_at"):
        action.save(update_fields=["status", "evidence_of_impact", "completed_on", "version", "updated_at"])
    with historical_timestamps(ActionUpdate, "written_at"):
        ActionUpdate.objects.create(action=action, note=note, status=status, author=actor, written_at=written)


def _progress(ctx, actor, action: Action, rng, impact: str) -> None:
    """Most actions have moved on; a third are done (some with impact recorded)."""
    today = ctx.today
    roll = rng.random()
    if roll < 0.35 and action.due_on - dt.timedelta(days=10) < today:
        done_on = min(today, action.due_on - dt.timedelta(days=rng.randrange(0, 10)))
        _write_update(ctx, actor, action, "Completed and checked at the improvement board.", Action.Status.DONE,
                      impact, done_on)
    elif roll < 0.85:
        _write_update(ctx, actor, action, "Work under way; first findings to the next improvement board.",
                      Action.Status.IN_PROGRESS)

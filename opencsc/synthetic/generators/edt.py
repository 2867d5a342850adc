"""Out-of-hours work by the emergency duty team, and the day team's acknowledgement of each handover.

About five children a night (more at weekends) at the default size, over the last 90 days,
mostly children open to social care and some unknown to it (handed to the MASH). Nearly
every handover was acknowledged the next working morning, a few late; those from the most
recent nights are partly still waiting, and a handful were missed and are overdue.
"""

from __future__ import annotations

import datetime as dt

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import TeamKind
from opencsc.casework.models import Allocation
from opencsc.edt import rules
from opencsc.edt.models import OutOfHoursEntry
from opencsc.timescales.authority import authority_calendar

from ..context import GenerationContext, bulk_create, historical_timestamps

DAYS = 90
PER_NIGHT = 5  # at size 1.0; weekends and bank holidays see half as many again
OPEN_SERVICES = ("mash", "assessment", "child_in_need", "child_protection", "in_care")
LATE_RATE = 0.06
MISSED_RATE = 0.01
EVENTS = (
    ("Police called to a domestic incident at home; children present and unhurt.",
     "Spoke to the attending officers and to mother by phone; checked the children's safety plan.",
     "Children safe to remain at home tonight with mother.", False, False),
    ("Young person did not return to the placement by the agreed time; reported missing to police.",
     "Liaised with police and the carers; young person found at a friend's address at 01:30.",
     "Return to placement tonight; return home interview needed.", False, False),
    ("Mother taken to hospital after an overdose; no other adult at home.",
     "Police used police protection; arranged an emergency foster placement.",
     "Children placed overnight with emergency foster carers under police protection.", True, True),
    ("Foster carer reported the child's behaviour had escalated and asked for the placement to end.",
     "Talked it through with the carer and the child; agreed a plan for the night.",
     "Placement to continue tonight; day team to review support.", False, False),
    ("Hospital concerned about unexplained bruising on a baby seen in A&E.",
     "Strategy discussion by phone with police and the paediatrician.",
     "Baby to stay in hospital overnight; child protection medical in the morning.", False, False),
    ("Neighbour reported children left home alone late in the evening.",
     "Visited with police; father returned at 23:00.",
     "No further action tonight; day team to follow up with the school.", False, False),
    ("Grandmother caring for the child said she could no longer cope and wanted the child removed.",
     "Visited; calmed the situation; arranged for an aunt to collect the child.",
     "Child to stay with the aunt over the weekend by agreement.", False, True),
)
FOLLOW_UP = (
    "Visit the family today and update the safety plan.",
    "Arrange a return home interview within 72 hours.",
    "Hold a strategy discussion today and decide on section 47 enquiries.",
    "Review the placement support plan with the carers.",
    "Contact the school and the health visitor; decide on next steps.",
)


def generate_edt(ctx: GenerationContext) -> None:
    rng = ctx.rng("edt")
    edt_team = next((t for t in ctx.teams.values() if t.kind == TeamKind.EDT), None)
    mash = Team.objects.filter(kind=TeamKind.MASH, is_active=True).order_by("id").first()
    if edt_team is None or mash is None:
        return
    workers = ctx.staff_by_team.get(edt_team.name) or []
    workers = [u for u in workers if u.role == "edt_worker"] or workers
    if not workers:
        return
    demo = ctx.demo_users.get("edt.demo")
    open_children = [c.pk for c in ctx.children if c.pk and c.is_open and c.service in OPEN_SERVICES]
    other_children = [c.pk for c in ctx.children if c.pk and c.service == "closed"]
    if not open_children:
        return
    teams = dict(Allocation.objects.filter(end_date__isnull=True).order_by("start_date", "id")
                 .values_list("child_id", "team_id"))
    acknowledgers: dict[int, list] = {}
    for user in User.objects.filter(team_id__in=set(teams.values()) | {mash.pk}, is_active=True,
                                    role__in=("social_worker", "senior_practitioner", "team_manager",
                                              "mash_practitioner")):
        acknowledgers.setdefault(user.team_id, []).append(user)
    calendar, tz = authority_calendar(), ctx.tz
    now = ctx.at(ctx.today, 9, 30)  # as the day team starts: last night's handovers partly picked up
    rows = []
    for back in range(DAYS, -1, -1):
        day = ctx.today - dt.timedelta(days=back)
        nights = ctx.scaled(PER_NIGHT * (1.5 if not calendar.is_working_day(day) else 1.0), minimum=1)
        for _ in range(rng.randint(max(1, nights - 2), nights + 2)):
            hour = rng.choice((17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 5, 7))
            moment = ctx.at(day, hour, rng.randint(0, 59))
            if hour < 9:
                moment += dt.timedelta(days=1)
            if moment >= now:
                continue
            child_id = rng.choice(open_children) if rng.random() < 0.8 or not other_children else rng.choice(
                other_children)
            day_team = teams.get(child_id, mash.pk)
            what, action, decision, police, placed = rng.choice(EVENTS)
            recorder = demo if demo is not None and rng.random() < 0.15 else rng.choice(workers)
            entry = OutOfHoursEntry(
                child_id=child_id, occurred_at=moment, what_happened=what, action_taken=action, decision=decision,
                police_protection=police, placement_made=placed,
                placement_details="Emergency foster carers, Northvale" if placed else "",
                follow_up=rng.choice(FOLLOW_UP), day_team_id=day_team, recorded_by=recorder,
                created_at=moment + dt.timedelta(minutes=rng.randint(20, 120)),
            )
            due = rules.acknowledge_by(moment, calendar, tz)
            people = acknowledgers.get(day_team) or acknowledgers.get(mash.pk) or []
            roll = rng.random()
            if people and due < now and roll >= MISSED_RATE:
                late = roll < MISSED_RATE + LATE_RATE
                entry.acknowledged_at = due + dt.timedelta(minutes=rng.randint(5, 240) if late else -rng.randint(5, 70))
                entry.acknowledged_by = rng.choice(people)
            elif people and due >= now and rng.random() < 0.5:
                entry.acknowledged_at = max(moment + dt.timedelta(minutes=10),
                                            min(now - dt.timedelta(minutes=5), due - dt.timedelta(minutes=30)))
                entry.acknowledged_by = rng.choice(people)
            rows.append(entry)
    with historical_timestamps(OutOfHoursEntry, "created_at"):
        bulk_create(OutOfHoursEntry, rows, ctx, "out-of-hours entries")

"""Who may do what on the performance scorecards: read them (with the drill-down to the children behind
a figure, named only where the user may see the child), set targets, and write commentary."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import Role

AREA = "Performance scorecards"

may_view_scorecards = permission(
    "view_scorecards", {Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.AUDITOR},
    "See the weekly performance scorecards, their trends, targets and commentary, export them, and drill "
    "down to the children behind a figure (named only where they can see the child).", area=AREA,
    refusal="You cannot see the performance scorecards")
may_set_targets = permission(
    "set_targets", {Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER},
    "Set the authority's target and amber tolerance for an indicator, for the authority, a service or a team.",
    area=AREA, refusal="Only service managers and performance analysts set targets")
may_write_commentary = permission(
    "write_commentary", {Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER, Role.SERVICE_MANAGER},
    "Write commentary on a scorecard figure.", area=AREA,
    refusal="Only managers and performance analysts write commentary")
may_take_snapshots = permission(
    "take_snapshots", {Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER},
    "Take a scorecard snapshot now (a background job), rather than wait for the weekly one.", area=AREA,
    refusal="Only service managers and performance analysts take scorecard snapshots")

"""Who may do what for children's health, education, contact and rights (the role part; recording on
a child's record is the children's records permission `record`, and people/access.py adds the record's
own conditions)."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import READ_ALL_ROLES

AREA = "Health and education"

may_view_wellbeing_figures = permission(
    "view_wellbeing_figures", READ_ALL_ROLES,
    "See the virtual school's and health team's figures for children in care, and the children behind them "
    "(only children they can see).", area=AREA,
    refusal="Only staff who read children's records can see these lists")

"""Who may see which figures. Dashboards show counts, never content, but only to those they are for:

- an agency manager or agency admin: their own organisation's figures, exactly;
- a partnership lead: a partnership's figures across the organisations that agreed to it (each by its own
  agency admin), small counts hidden and the rest rounded (reporting.tables);
- nobody else (practitioners, panel chairs, clients, family, the site administrator): no figures.
"""

from typing import Any

from network.roles import is_agency_admin, is_agency_manager, is_partnership_lead

__all__ = ["is_agency_admin", "may_see_organisation_figures", "may_see_partnership_figures"]


def may_see_organisation_figures(user: Any) -> bool:
    return is_agency_manager(user)


def may_see_partnership_figures(user: Any) -> bool:
    return is_partnership_lead(user)

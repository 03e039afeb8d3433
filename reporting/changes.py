"""Reporting's changes: looking at the dashboard and downloading its tables (reads, audited), and an
organisation agreeing to a partnership or leaving it. None is about one client, so none is published."""

from changes.catalogue import Change, register

DASHBOARD_VIEW = Change(
    "dashboard.view", "Someone looks at the dashboard's figures (page or API)", is_read=True
)
DASHBOARD_DOWNLOAD = Change("dashboard.download", "Someone downloads a dashboard table as CSV", is_read=True)
PARTNERSHIP_JOIN = Change(
    "partnership.join", "An agency admin agrees to their organisation's figures being in a partnership"
)
PARTNERSHIP_LEAVE = Change(
    "partnership.leave", "An agency admin takes their organisation's figures out of a partnership"
)

register(DASHBOARD_VIEW, DASHBOARD_DOWNLOAD, PARTNERSHIP_JOIN, PARTNERSHIP_LEAVE)

"""Baseline and change on the client page; the trend chart (SVG), its table and its line in words."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.conftest import signed_in
from tests.factories import assessment_done

MARCH_4 = datetime.datetime(2026, 3, 4, 10, tzinfo=datetime.UTC)
LATER = MARCH_4 + datetime.timedelta(days=60)


def wellbeing(alice, grace, home, money, at, **kwargs):
    return assessment_done(
        author=alice,
        client=grace,
        code="wellbeing-domains",
        scores=[home, money, 5, 5, 5, 5, 5, 5],
        at=at,
        **kwargs,
    )


def test_the_client_page_shows_baseline_latest_and_change(alice, grace):
    wellbeing(alice, grace, 3, 2, MARCH_4)
    wellbeing(alice, grace, 6, 2, LATER)
    page = signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()
    summary = page[page.index('id="assessments-summary"') :]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary))
    assert "Home: 3 → 6 since 4 Mar 2026 — better" in text
    assert "Money: 2 → 2 since 4 Mar 2026 — no real change" in text


def test_a_single_assessment_is_the_baseline(alice, grace):
    wellbeing(alice, grace, 3, 2, MARCH_4)
    page = signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()
    assert "This is the baseline" in page


def test_the_clients_own_rating_is_beside_never_merged(alice, grace):
    wellbeing(alice, grace, 3, 2, MARCH_4)
    wellbeing(alice, grace, 8, 8, LATER, completed_by="client", visibility="client")
    page = signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()
    assert "Grace's own rating" in page
    assert "This is the baseline" in page  # the team's series still has one point: nothing merged


class Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.in_table = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.row = []
        elif self.in_table and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def test_the_chart_and_its_table_tell_the_same_figures(alice, grace):
    for n, total in enumerate([18, 12, 7]):
        scores = [min(3, max(0, total - 3 * i)) for i in range(9)]
        assessment_done(
            author=alice,
            client=grace,
            code="phq-9",
            scores=scores,
            at=MARCH_4 + datetime.timedelta(days=30 * n),
        )
    response = signed_in(alice).get(f"/clients/{grace.public_id}/assessments/instruments/phq-9/")
    html = response.content.decode()
    assert response.status_code == 200
    table = Table()
    table.feed(html)
    assert table.rows[0] == ["Date", "Total"]
    assert [row[1] for row in table.rows[1:]] == ["18", "12", "7"]
    assert table.rows[1][0].endswith("(baseline)") and table.rows[3][0].endswith("(latest)")
    # The SVG: an image with a title and a description in words, one line with three points.
    svg = html[
        html.index('<svg class="app-chart"') : html.index("</svg>", html.index('<svg class="app-chart"'))
    ]
    assert 'role="img"' in svg and "aria-labelledby" in svg
    assert "PHQ-9 since 4 March 2026: Total 18 → 7 (better)." in svg
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3


def test_the_chart_needs_access(alice, charlie, grace):
    assessment_done(author=alice, client=grace, code="phq-9", scores=[1] * 9, at=MARCH_4)
    assert (
        signed_in(charlie).get(f"/clients/{grace.public_id}/assessments/instruments/phq-9/").status_code
        == 404
    )


@pytest.mark.parametrize("rows", [1, 30])
def test_the_series_is_one_query(alice, grace, rows, django_assert_num_queries):
    from assessments import selectors
    from assessments.models import Instrument
    from circles.access import record_access

    for n in range(rows):
        assessment_done(
            author=alice,
            client=grace,
            code="gad-7",
            scores=[n % 4] * 7,
            at=timezone.now() - datetime.timedelta(days=n),
        )
    record = record_access(alice, grace)
    instrument = Instrument.objects.get(code="gad-7")
    # 1. the client's completed GAD-7s Alice may see, with their versions, on the series index.
    with django_assert_num_queries(1):
        series = selectors.series_for(record, instrument)
    assert len(series.points) == rows

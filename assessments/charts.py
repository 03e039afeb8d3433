"""A trend chart drawn on the server as SVG: one line per domain (or the total), baseline and latest marked.

Screen readers get the chart's title and a description in words (role="img", aria-labelledby); the same
figures are in a table beside it. The SVG scales to its container, so it works at 360 px.
"""

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from assessments.selectors import Series
from network.svg import STYLES, figure, gridline
from network.svg import n as _n

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 28, 8, 10, 24


def trend_chart(series: Series, *, chart_id: str, plain: bool = False) -> SafeString:
    """The chart as SVG; `plain` words it for the portal (reading age about nine)."""
    low, high = series.value_range
    points = series.points
    span = (points[-1].at - points[0].at).total_seconds() or 1.0

    def x(index: int) -> float:
        if len(points) == 1:
            return LEFT + (WIDTH - LEFT - RIGHT) / 2
        return LEFT + (points[index].at - points[0].at).total_seconds() / span * (WIDTH - LEFT - RIGHT)

    def y(value: int) -> float:
        return TOP + (high - value) / ((high - low) or 1) * (HEIGHT - TOP - BOTTOM)

    parts: list[str] = []
    for tick in sorted({low, (low + high) // 2, high}):
        parts.append(gridline(x1=LEFT, x2=WIDTH - RIGHT, y=y(tick), label=tick))
    words = ("First", "Last") if plain else ("Baseline", "Latest")
    for index, label in ((0, words[0]), (len(points) - 1, words[1])):
        if index == 0 or len(points) > 1:
            anchor = "start" if index == 0 else "end"
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="9" text-anchor="{}" fill="#0b0c0c">{} {}</text>',
                    _n(x(index)),
                    HEIGHT - 6,
                    anchor,
                    label,
                    f"{points[index].at:%-d %b %Y}",
                )
            )
    for n, (label, values) in enumerate(series.lines):
        colour, dash = STYLES[n % len(STYLES)]
        coords = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{_n(px)},{_n(py)}" for px, py in coords)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}">'
                "<title>{}</title></polyline>",
                path,
                colour,
                dash or "none",
                label,
            )
        )
        for i, (px, py) in enumerate(coords):
            at_end = i in (0, len(coords) - 1)
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}"/>',
                    _n(px),
                    _n(py),
                    3.5 if at_end else 2,
                    "#ffffff" if at_end else colour,
                    colour,
                )
            )
    title = f"{series.definition['name']}{' (own ratings)' if series.by_client else ''}: trend"
    description = series.summary
    if plain:
        title, description = "How it has gone", "A line for each part. The table has the same numbers."
    return figure(
        width=WIDTH, height=HEIGHT, chart_id=chart_id, title=title, description=description, parts=parts
    )


def legend(series: Series) -> SafeString:
    """Which line is which: the colour and dash beside each name."""
    return format_html_join(
        "",
        '<li class="app-chart-legend__item"><svg width="24" height="8" aria-hidden="true" focusable="false">'
        '<line x1="0" x2="24" y1="4" y2="4" stroke="{}" stroke-width="2" stroke-dasharray="{}"/></svg> {}</li>',
        (
            (STYLES[n % len(STYLES)][0], STYLES[n % len(STYLES)][1] or "none", escape(label))
            for n, (label, _values) in enumerate(series.lines)
        ),
    )

"""Charts drawn on the server as accessible SVG: the frame every chart shares, and a bar chart.

Each chart is an `<svg role="img">` named by its `<title>` and described in words by its `<desc>`
(aria-labelledby both), scales to its container (so it works at 360 px), and is shown beside a table of
the same figures: the table, not the picture, is what screen readers and spreadsheets use. The trend
chart of an assessment series (assessments/charts.py) and the dashboard's bar charts (reporting/) are
drawn with these. Generic on purpose: nothing here knows what is being counted.
"""

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Colours that keep their contrast on white, each with its own dash so lines differ without colour too.
STYLES = [
    ("#1d70b8", ""),
    ("#d4351c", "6 3"),
    ("#00703c", "2 2"),
    ("#4c2c92", "8 3 2 3"),
    ("#b58840", "4 4"),
    ("#912b88", "1 3"),
    ("#28a197", "10 2"),
    ("#505a5f", "3 1"),
]
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


def n(value: float) -> str:
    """A coordinate, to one decimal place."""
    return f"{value:.1f}"


def figure(
    *, width: int, height: int, chart_id: str, title: str, description: str, parts: Sequence[str]
) -> SafeString:
    """The `<svg>` around a chart's parts (each already built with format_html), titled and described."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return format_html(
        '<svg class="app-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{} {}" '
        'preserveAspectRatio="xMidYMid meet" focusable="false">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        width,
        height,
        title_id,
        desc_id,
        title_id,
        title,
        desc_id,
        description,
        mark_safe("".join(parts)),  # noqa: S308 (every part was built with format_html)
    )


def gridline(*, x1: float, x2: float, y: float, label: object) -> str:
    """A horizontal grid line with its value written at the left."""
    return format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="0.5"/>'
        '<text x="{}" y="{}" font-size="9" text-anchor="end" fill="{}">{}</text>',
        n(x1),
        n(x2),
        n(y),
        n(y),
        GRID,
        n(x1 - 4),
        n(y + 3),
        TEXT,
        label,
    )


BAR_WIDTH, BAR_ROW, BAR_LABEL = 320, 18, 110


def bar_chart(
    bars: Sequence[tuple[str, float | None, str]], *, chart_id: str, title: str, description: str
) -> SafeString:
    """Horizontal bars, one per (label, value, value as written); a value of None draws no bar (a count
    too small to show, say) but still writes its words, so the picture and the table say the same."""
    height = max(1, len(bars)) * BAR_ROW + 6
    top = max((value for _label, value, _text in bars if value is not None), default=0) or 1
    span = BAR_WIDTH - BAR_LABEL - 70
    parts: list[str] = []
    for index, (label, value, text) in enumerate(bars):
        y = 3 + index * BAR_ROW
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="9" text-anchor="end" fill="{}">{}</text>',
                BAR_LABEL - 4,
                n(y + 11),
                TEXT,
                short,
            )
        )
        length = 0.0 if value is None else max(0.0, value) / top * span
        if value:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                    BAR_LABEL,
                    n(y + 2),
                    n(max(length, 1.0)),
                    BAR_ROW - 6,
                    STYLES[0][0],
                    label,
                    text,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="9" fill="{}">{}</text>',
                n(BAR_LABEL + length + 4),
                n(y + 11),
                TEXT,
                text,
            )
        )
    return figure(
        width=BAR_WIDTH, height=height, chart_id=chart_id, title=title, description=description, parts=parts
    )

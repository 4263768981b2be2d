"""The insights page's charts, drawn on the server as SVG: no library, no script.

The strict Content-Security-Policy forbids `style` attributes, so shapes are painted with SVG
presentation attributes (`fill`, `stroke`), which `style-src` does not govern, and with classes
of the stylesheet. Nothing relies on colour alone: each disposition has a pattern of its own as
well as a colour (`DISPOSITION_PATTERNS`, drawn once in `pattern_definitions()`), bars and cells
carry their numbers as text or as a `<title>`, and every chart has its name and summary for
screen readers, beside a table of its numbers (the page's visually hidden tables).
"""

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from insights.definitions import DISPOSITION_LABELS, DISPOSITIONS
from insights.tables import WEEKDAYS, display

# disposition: (colour, texture drawn over it)
DISPOSITION_PATTERNS = {
    "answered": ("#15803d", None),
    "no-answer": ("#94a3b8", "stripes"),
    "vm-left": ("#1d4ed8", "dots"),
    "vm-answer": ("#6d28d9", "horizontal"),
    "busy": ("#b45309", "vertical"),
    "blocked": ("#334155", "cross"),
    "error": ("#b91c1c", "backslash"),
    "abandoned": ("#a21caf", "checks"),
}
TEXTURES = {
    "stripes": '<path d="M-2 2l4-4M0 8l8-8M6 10l4-4" stroke="#1e293b" stroke-width="1.5"/>',
    "backslash": '<path d="M-2 6l4 4M0 0l8 8M6 -2l4 4" stroke="#ffffff" stroke-width="1.5"/>',
    "dots": '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>',
    "horizontal": '<path d="M0 2h8M0 6h8" stroke="#ffffff" stroke-width="1.2"/>',
    "vertical": '<path d="M2 0v8M6 0v8" stroke="#ffffff" stroke-width="1.2"/>',
    "cross": '<path d="M0 4h8M4 0v8" stroke="#ffffff" stroke-width="1.2"/>',
    "checks": '<path d="M0 0h4v4h-4zM4 4h4v4h-4z" fill="#ffffff" fill-opacity="0.55"/>',
}
HEAT_LEVELS = ("#eff6ff", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a")
HEAT_TEXT = ("#1e293b", "#1e293b", "#0f172a", "#ffffff", "#ffffff")


def pattern_id(disposition):
    return f"pattern-{disposition}"


def pattern_definitions():
    """An invisible SVG holding every disposition's pattern, for the charts and the legend."""
    patterns = []
    for disposition, (colour, texture) in DISPOSITION_PATTERNS.items():
        patterns.append(
            format_html(
                '<pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse">'
                '<rect width="8" height="8" fill="{}"/>{}</pattern>',
                pattern_id(disposition),
                colour,
                mark_safe(TEXTURES.get(texture, "")),  # constants above
            )
        )
    return format_html(
        '<svg class="chart-patterns" width="0" height="0" aria-hidden="true" focusable="false">'
        "<defs>{}</defs></svg>",
        mark_safe("".join(patterns)),
    )


def swatch(disposition):
    """A small square of the disposition's pattern, for a legend beside its name."""
    return format_html(
        '<svg class="swatch" viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
        '<rect width="14" height="14" fill="url(#{})" stroke="#1e293b" stroke-width="0.5"/></svg>',
        pattern_id(disposition),
    )


def _nice_ceiling(value):
    """The smallest of 1, 2, 5 × 10ⁿ at least `value` (1 for nothing)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def day_chart(days, chart_id):
    """Stacked bars of calls per day, one layer per disposition: `days` {date: Totals}."""
    width, height, left, bottom, top = 720, 250, 44, 40, 16
    plot_width, plot_height = width - left - 8, height - bottom - top
    counts = {day: totals.by_disposition() for day, totals in days.items()}
    highest = _nice_ceiling(max((sum(c.values()) for c in counts.values()), default=0))
    step = plot_width / max(len(days), 1)
    bar = max(step * 0.72, 1)
    every = math.ceil(len(days) / 12)
    parts = []
    for tick in range(5):
        value = highest * tick / 4
        y = top + plot_height - plot_height * tick / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart__grid"/>'
                '<text x="{}" y="{}" class="chart__axis" text-anchor="end">{}</text>',
                left,
                width - 8,
                f"{y:.1f}",
                f"{y:.1f}",
                left - 6,
                f"{y + 4:.1f}",
                f"{value:g}",
            )  # fmt: skip
        )
    for position, (day, by_disposition) in enumerate(counts.items()):
        x = left + position * step + (step - bar) / 2
        y = top + plot_height
        day_name = f"{day:%a %-d %b}"
        for disposition in DISPOSITIONS:
            calls = by_disposition[disposition]
            if not calls:
                continue
            h = plot_height * calls / highest
            y -= h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})">'
                    "<title>{}: {} {}</title></rect>",
                    f"{x:.1f}",
                    f"{y:.1f}",
                    f"{bar:.1f}",
                    f"{h:.1f}",
                    pattern_id(disposition),
                    day_name,
                    calls,
                    DISPOSITION_LABELS[disposition].lower(),
                )  # fmt: skip
            )
        total = sum(by_disposition.values())
        if total and len(days) <= 31:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="chart__value" text-anchor="middle">{}</text>',
                    f"{x + bar / 2:.1f}",
                    f"{y - 4:.1f}",
                    total,
                )  # fmt: skip
            )
        if position % every == 0:
            label = f"{day:%a %-d}" if len(days) <= 14 else f"{day:%-d %b}"
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="chart__axis" text-anchor="middle">{}</text>',
                    f"{x + bar / 2:.1f}",
                    height - bottom + 16,
                    label,
                )  # fmt: skip
            )
    busiest = max(counts.items(), key=lambda item: sum(item[1].values()), default=None)
    total = sum(sum(c.values()) for c in counts.values())
    summary = f"{total:,} call{'' if total == 1 else 's'} over {len(days)} days."
    if busiest and total:
        summary += f" The busiest day was {busiest[0]:%A %-d %B} with {sum(busiest[1].values()):,}."
    return _svg(chart_id, width, height, "Calls per day, by disposition", summary, parts)


def heatmap(hours, chart_id):
    """Connect rate of outbound calls by weekday (rows) and hour (columns): `hours`
    {(weekday, hour): Totals}. Each cell shows its rate in whole percent."""
    cell_width, cell_height, left, top = 26, 24, 44, 22
    width, height = left + 24 * cell_width + 4, top + 7 * cell_height + 4
    parts = [
        format_html(
            '<text x="{}" y="{}" class="chart__axis" text-anchor="middle">{}</text>',
            left + hour * cell_width + cell_width / 2,
            top - 8,
            f"{hour:02}",
        )  # fmt: skip
        for hour in range(24)
    ]
    best = None
    for weekday, name in enumerate(WEEKDAYS):
        y = top + weekday * cell_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart__axis" text-anchor="end">{}</text>',
                left - 6,
                y + cell_height / 2 + 4,
                name[:3],
            )  # fmt: skip
        )
        for hour in range(24):
            totals = hours.get((weekday, hour))
            x = left + hour * cell_width
            rate = totals.connect_rate if totals else None
            if rate is None:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" class="chart__empty">'
                        "<title>{} {}:00: no outbound calls</title></rect>",
                        x + 1,
                        y + 1,
                        cell_width - 2,
                        cell_height - 2,
                        name,
                        f"{hour:02}",
                    )  # fmt: skip
                )
                continue
            level = min(int(rate * len(HEAT_LEVELS)), len(HEAT_LEVELS) - 1)
            if best is None or (rate, totals.calls_out) > best[0]:
                best = ((rate, totals.calls_out), name, hour)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{} {}:00: {} of {} outbound calls connected ({})</title></rect>"
                    '<text x="{}" y="{}" fill="{}" class="chart__cell" text-anchor="middle">{}'
                    "</text>",
                    x + 1,
                    y + 1,
                    cell_width - 2,
                    cell_height - 2,
                    HEAT_LEVELS[level],
                    name,
                    f"{hour:02}",
                    totals.connected_out,
                    totals.calls_out,
                    display("rate", rate),
                    x + cell_width / 2,
                    y + cell_height / 2 + 4,
                    HEAT_TEXT[level],
                    round(rate * 100),
                )  # fmt: skip
            )
    summary = "Each cell is the percentage of outbound calls that connected in that hour."
    if best:
        summary += f" The best was {best[1]} at {best[2]:02}:00 ({display('rate', best[0][0])})."
    else:
        summary = "No outbound calls in this period."
    title = "Connect rate of outbound calls by weekday and hour"
    return _svg(chart_id, width, height, title, summary, parts)


def bars(rows, disposition_of=None):
    """Horizontal bars for a list of (label, calls, share) as an HTML list: each bar an SVG of
    its length, with the label and the number in text beside it."""
    highest = max((row[1] for row in rows), default=0) or 1
    items = []
    for label, calls, share, *rest in rows:
        disposition = disposition_of(rest) if disposition_of else None
        fill = f"url(#{pattern_id(disposition)})" if disposition else "#1d4ed8"
        items.append(
            format_html(
                '<li class="bars__row"><span class="bars__label">{}{}</span>'
                '<svg class="bars__bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
                'aria-hidden="true" focusable="false"><rect width="{}" height="10" fill="{}"/>'
                '</svg><span class="bars__value">{} <span class="muted">({})</span></span></li>',
                swatch(disposition) if disposition else "",
                label,
                f"{100 * calls / highest:.2f}",
                fill,
                f"{calls:,}",
                display("rate", share),
            )  # fmt: skip
        )
    return format_html('<ul class="bars">{}</ul>', mark_safe("".join(items)))


def _svg(chart_id, width, height, title, summary, parts):
    return format_html(
        '<svg class="chart" id="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id, width, height, chart_id, chart_id, chart_id, title, chart_id, summary,
        mark_safe("".join(parts)),
    )  # fmt: skip


def legend():
    """The dispositions' patterns and names."""
    return format_html(
        '<ul class="legend">{}</ul>',
        format_html_join(
            "",
            "<li>{}{}</li>",
            ((swatch(x), DISPOSITION_LABELS[x]) for x in DISPOSITIONS),
        ),
    )

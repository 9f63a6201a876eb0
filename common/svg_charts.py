"""Bar, stacked bar and ring charts written as SVG text, in the State's colours (DSFR), for pages and WeasyPrint PDFs.

The dashboard draws up to eight charts per scope: pygal took 80–120 ms for them, 16–38 times the SQL of a local
structure's dashboard (bench/dashboard.py); these take about a millisecond. Every chart is one image for assistive
technologies (role="img" and a description); the page shows its figures as a table. No script, no external
resource: it works offline, in WeasyPrint and under the Content-Security-Policy.
"""

import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.charts import BLUE, GREY

FONT = "Marianne, Arial, sans-serif"
TEXT, SUBTLE, GRID = "#161616", "#666666", "#dddddd"
WIDTH = 720
TITLE_SPACE = 40
CHAR_WIDTH = 6.6  # of a 12 px label, on average: enough to size the margin of horizontal bars' labels
Format = Callable[[float], str]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _document(height: int, title: str, description: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(description)}" '
        f'viewBox="0 0 {WIDTH} {height}" class="spplus-chart" font-family="{FONT}" font-size="12" fill="{TEXT}">'
        f'<text class="title" x="{WIDTH / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">'
        f"{escape(title)}</text>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 — every text above and below is escaped.


def _text(x: float, y: float, content: str, anchor: str = "middle", **attributes) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def _legend(entries: Sequence[tuple[str, str]], y: float) -> list[str]:
    """Coloured squares and names in one centred row under the plot."""
    widths = [26 + CHAR_WIDTH * len(name) for name, _ in entries]
    x = (WIDTH - sum(widths)) / 2
    parts = ['<g class="legend">']
    for (name, colour), width in zip(entries, widths, strict=True):
        parts.append(f'<rect x="{_number(x)}" y="{_number(y - 10)}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 18, y, name, anchor="start"))
        x += width
    parts.append("</g>")
    return parts


def _value_axis(ticks: Sequence[float], guide: Callable[[float], str], label: Callable[[float], str]) -> list[str]:
    """A value axis: a guide line across the plot at each tick (the path `guide` gives), then each tick's label."""
    guides = "".join(f'<path d="{guide(tick)}" stroke="{GRID}"/>' for tick in ticks)
    return [f'<g class="guides">{guides}</g>', *(label(tick) for tick in ticks)]


def _vertical_value_axis(ticks: Sequence[float], left: float, right: float, bottom: float, scale: float) -> list[str]:
    """The opening of a vertical chart: its value axis on the left, guides across, up to the labels' group."""
    return [
        '<g class="graph vertical"><g class="axis y">',
        *_value_axis(
            ticks,
            lambda tick: f"M {left} {_number(bottom - tick * scale)} H {right}",
            lambda tick: _text(left - 6, bottom - tick * scale + 4, _number(tick), anchor="end", fill=SUBTLE),
        ),
        '</g><g class="axis x">',
    ]


def vertical_bars(
    title: str,
    description: str,
    bars: Sequence[tuple[str, float]],
    ticks: Sequence[float],
    *,
    height: int = 320,
    label_every: int = 1,
    tilted: bool = False,
) -> SafeString:
    """One bar per (label, value), left to right; `ticks` the value axis, from 0 to at least the longest bar."""
    left, right, top = 56, WIDTH - (70 if tilted else 16), TITLE_SPACE
    bottom = height - (76 if tilted else 36)
    scale = (bottom - top) / (ticks[-1] or 1)
    body = _vertical_value_axis(ticks, left, right, bottom, scale)
    band = (right - left) / max(1, len(bars))
    for index, (label, _) in enumerate(bars):
        if index % label_every:
            continue
        x = left + band * (index + 0.5)
        if tilted:
            body.append(
                _text(x, bottom + 14, label, anchor="start", transform=f"rotate(45 {_number(x)} {bottom + 14})")
            )
        else:
            body.append(_text(x, bottom + 18, label))
    body.append('</g><g class="series bars">')
    for index, (_, value) in enumerate(bars):
        x, y = left + band * (index + 0.15), bottom - value * scale
        body.append(
            f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(band * 0.7)}" '
            f'height="{_number(value * scale)}" fill="{BLUE}"/>'
        )
        body.append(_text(x + band * 0.35, y - 4, _number(value), font_size="11"))
    body.append("</g></g>")
    return _document(height, title, description, body)


def paired_bars(
    title: str,
    description: str,
    bars: Sequence[tuple[str, float | None, float | None]],
    ticks: Sequence[float],
    *,
    legend: Sequence[str],
    height: int = 320,
) -> SafeString:
    """Two bars per label, left to right (the first series in blue, the second in grey); None draws no bar."""
    left, right, top, bottom = 56, WIDTH - 16, TITLE_SPACE, height - 60
    scale = (bottom - top) / (ticks[-1] or 1)
    body = _vertical_value_axis(ticks, left, right, bottom, scale)
    band = (right - left) / max(1, len(bars))
    body += [_text(left + band * (index + 0.5), bottom + 18, label) for index, (label, _, _) in enumerate(bars)]
    body.append('</g><g class="series bars">')
    for index, (_, first, second) in enumerate(bars):
        for offset, value, colour in ((0.1, first, BLUE), (0.5, second, GREY)):
            if value is None:
                continue
            x, y = left + band * (index + offset), bottom - value * scale
            body.append(
                f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(band * 0.4)}" '
                f'height="{_number(value * scale)}" fill="{colour}"/>'
            )
    body.append("</g></g>")
    body += _legend(list(zip(legend, (BLUE, GREY), strict=False)), height - 12)
    return _document(height, title, description, body)


def horizontal_bars(
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[tuple[str, float]]]],
    ticks: Sequence[float],
    *,
    height: int = 320,
    legend: Sequence[tuple[str, str]] = (),
    value_format: Format = _number,
    print_values: bool = True,
) -> SafeString:
    """One bar per (label, parts), top to bottom; each part (colour, value) stacked left to right."""
    longest = max((len(label) for label, _ in rows), default=0)
    left = min(WIDTH * 0.45, 16 + CHAR_WIDTH * longest)
    right, top = WIDTH - 40, TITLE_SPACE
    bottom = height - (56 if legend else 30)
    scale = (right - left) / (ticks[-1] or 1)
    body = [
        '<g class="graph horizontal"><g class="axis x">',
        *_value_axis(
            ticks,
            lambda tick: f"M {_number(left + tick * scale)} {top} V {bottom}",
            lambda tick: _text(left + tick * scale, bottom + 16, value_format(tick), fill=SUBTLE),
        ),
        '</g><g class="axis y">',
    ]
    band = (bottom - top) / max(1, len(rows))
    for index, (label, _) in enumerate(rows):
        body.append(_text(left - 8, top + band * (index + 0.5) + 4, label, anchor="end"))
    body.append('</g><g class="series bars">')
    for index, (_, parts) in enumerate(rows):
        x, y = left, top + band * (index + 0.15)
        for colour, value in parts:
            if value > 0:
                body.append(
                    f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(value * scale)}" '
                    f'height="{_number(band * 0.7)}" fill="{colour}"/>'
                )
            x += value * scale
        if print_values:
            total = sum(value for _, value in parts)
            body.append(_text(x + 4, y + band * 0.35 + 4, value_format(total), anchor="start", font_size="11"))
    body.append("</g></g>")
    if legend:
        body += _legend(legend, height - 12)
    return _document(height, title, description, body)


def ring(title: str, description: str, slices: Sequence[tuple[str, str, float]], *, height: int = 280) -> SafeString:
    """A ring of (name, colour, value) slices, clockwise from the top, each with its value, and a legend."""
    cx, cy = WIDTH / 2, TITLE_SPACE + (height - TITLE_SPACE - 36) / 2
    outer = (height - TITLE_SPACE - 44) / 2
    inner = outer * 0.45
    total = sum(value for _, _, value in slices)
    body = ['<g class="graph pie"><g class="series">']
    if not total:
        body.append(
            f'<circle cx="{cx}" cy="{_number(cy)}" r="{_number((outer + inner) / 2)}" fill="none" '
            f'stroke="{GREY}" stroke-width="{_number(outer - inner)}" opacity="0.3"/>'
        )
        body.append(_text(cx, cy + 4, "Aucune donnée", fill=SUBTLE))
    start = 0.0
    for _, colour, value in slices if total else ():
        if value <= 0:
            continue
        end = start + value / total
        body.append(f'<path d="{_ring_slice(cx, cy, outer, inner, start, end)}" fill="{colour}"/>')
        middle = 2 * math.pi * (start + end) / 2
        radius = (outer + inner) / 2
        body.append(
            _text(
                cx + radius * math.sin(middle),
                cy - radius * math.cos(middle) + 4,
                _number(value),
                fill="#ffffff",
                font_size="11",
            )
        )
        start = end
    body.append("</g></g>")
    body += _legend([(name, colour) for name, colour, _ in slices], height - 12)
    return _document(height, title, description, body)


def _ring_slice(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """The path of a ring's slice between two fractions of a turn; a whole turn is two halves (one arc cannot)."""
    if end - start >= 0.9999:
        half = start + 0.5
        return _ring_slice(cx, cy, outer, inner, start, half) + " " + _ring_slice(cx, cy, outer, inner, half, end)

    def point(radius: float, fraction: float) -> str:
        angle = 2 * math.pi * fraction
        return f"{_number(cx + radius * math.sin(angle))} {_number(cy - radius * math.cos(angle))}"

    large = 1 if end - start > 0.5 else 0
    return (
        f"M {point(outer, start)} A {_number(outer)} {_number(outer)} 0 {large} 1 {point(outer, end)} "
        f"L {point(inner, end)} A {_number(inner)} {_number(inner)} 0 {large} 0 {point(inner, start)} Z"
    )

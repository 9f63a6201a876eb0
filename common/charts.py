"""SVG charts drawn by pygal in the State's colours (DSFR), the same in a page and in a WeasyPrint PDF.

Each chart carries a description for assistive technologies; a page also shows its figures as a table. No
script is embedded (pygal's tooltips load from a CDN), so the SVG works offline, in WeasyPrint and under the
Content-Security-Policy.
"""

import copy
import re

from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# DSFR: bleu France, success green, warning orange-red, grey.
BLUE, GREEN, RED, GREY, LIGHT_BLUE = "#000091", "#18753c", "#ce0500", "#929292", "#6a6af4"

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#161616",
    foreground_strong="#161616",
    foreground_subtle="#666666",
    font_family="Marianne, Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    value_font_size=11,
    colors=(BLUE, LIGHT_BLUE, GREEN, RED, GREY),
)


def config(chart_class, title: str, **options):
    chart = chart_class(
        style=options.pop("style", STYLE),
        title=title,
        js=[],
        disable_xml_declaration=True,
        width=options.pop("width", 720),
        height=options.pop("height", 320),
        print_values=options.pop("print_values", True),
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        **options,
    )
    return chart


# pygal always writes its configuration as an inline <script> for its tooltip script, which we do not load;
# the Content-Security-Policy refuses inline scripts, and Chromium would report each one as a violation.
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


def render(chart, description: str) -> SafeString:
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True))
    # role="img" and a description: the chart is announced as one image; the table below has the figures.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(description)}" ', 1)
    return mark_safe(svg)  # noqa: S308 — pygal escapes its labels; the description is escaped above.


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def style_with(colours: list[str]) -> Style:
    style = copy.copy(STYLE)
    style.colors = tuple(colours)
    return style

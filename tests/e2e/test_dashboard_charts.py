"""The dashboard's charts as an agent sees them in Chromium: month labels that do not run into each other,
value axes that reach past the longest bar."""

import datetime
import zoneinfo

import pytest
from playwright.sync_api import Page, expect

from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.e2e

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PASSWORD = "mot-de-passe-solide-2026"
A_YEAR = "periode=personnalisee&du=2025-12-01&au=2026-11-30"

# The corners of each label as drawn on screen (rotation included), then a separating-axis test between
# every two labels: a label's axis-aligned box would report overlaps that rotated glyphs do not have.
OVERLAPPING_LABELS = """svg => {
  const quads = [...svg.querySelectorAll('.axis.x text')].map(text => {
    const box = text.getBBox(), matrix = text.getScreenCTM();
    const right = box.x + box.width, bottom = box.y + box.height;
    return [[box.x, box.y], [right, box.y], [right, bottom], [box.x, bottom]]
      .map(([x, y]) => { const p = new DOMPoint(x, y).matrixTransform(matrix); return [p.x, p.y]; });
  });
  const apart = (a, b) => [a, b].some(quad => quad.some((p, i) => {
    const q = quad[(i + 1) % 4], nx = q[1] - p[1], ny = p[0] - q[0];
    const pa = a.map(([x, y]) => x * nx + y * ny), pb = b.map(([x, y]) => x * nx + y * ny);
    return Math.max(...pa) <= Math.min(...pb) || Math.max(...pb) <= Math.min(...pa);
  }));
  const texts = [...svg.querySelectorAll('.axis.x text')].map(text => text.textContent);
  const overlaps = [];
  quads.forEach((a, i) => quads.slice(i + 1).forEach((b, j) => {
    if (!apart(a, b)) overlaps.push([texts[i], texts[i + 1 + j]]);
  }));
  return overlaps;
}"""

# How far the value axis's guides reach and how far the longest bar does, on screen.
AXIS_AND_BARS = """svg => {
  const horizontal = svg.querySelector('.graph').classList.contains('horizontal');
  const bars = [...svg.querySelectorAll('.bars rect')].map(r => r.getBoundingClientRect())
    .filter(b => b.width && b.height);
  const guides = [...svg.querySelectorAll(horizontal ? '.axis.x .guides path' : '.axis.y .guides path')]
    .map(p => p.getBoundingClientRect());
  if (!bars.length) return null;
  if (horizontal) return {axis: Math.max(...guides.map(g => g.right)), bar: Math.max(...bars.map(b => b.right))};
  // Screen y grows downwards: the axis must reach at least as high (as small a y) as the highest bar.
  return {axis: -Math.min(...guides.map(g => g.top)), bar: -Math.min(...bars.map(b => b.top))};
}"""


@pytest.fixture
def a_year_of_experiences(live_server):
    """Each month from December 2025 to November 2026: one to three experiences, 13 of 24 answered within a day."""
    structure = f.StructureFactory(name="Direction départementale de la Gironde")
    agent = f.MembershipFactory(structure=structure, role=Role.AGENT).user
    answered = 0
    for index in range(12):
        month = datetime.date(2025 + (11 + index) // 12, (11 + index) % 12 + 1, 10)
        for number in range(index % 3 + 1):
            published = datetime.datetime.combine(month, datetime.time(10, number), tzinfo=PARIS)
            answer_at = published + datetime.timedelta(hours=20) if answered < 13 else None
            answered += 1
            f.AssignmentFactory(
                experience=f.ExperienceFactory(published_at=published), structure=structure, first_response_at=answer_at
            )
    return agent


def open_dashboard(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/agents/connexion/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{base_url}/agents/tableau-de-bord/?{A_YEAR}")
    expect(page.get_by_text("du 1er décembre 2025 au 30 novembre 2026")).to_be_visible()


def test_month_labels_of_a_year_tell_june_from_july_and_do_not_overlap(page: Page, live_server, a_year_of_experiences):
    open_dashboard(page, live_server.url, a_year_of_experiences.email)

    chart = page.get_by_role("img", name="Histogramme des expériences publiées par mois : 24 au total.")
    assert chart.evaluate(OVERLAPPING_LABELS) == []
    labels = chart.locator(".axis.x text").all_text_contents()
    assert "juin 2026" in labels and "juil. 2026" in labels


def test_every_bar_chart_axis_reaches_past_its_longest_bar(page: Page, live_server, a_year_of_experiences):
    open_dashboard(page, live_server.url, a_year_of_experiences.email)

    charts = page.locator("figure svg[role=img]")
    extents = {svg.get_attribute("aria-label"): svg.evaluate(AXIS_AND_BARS) for svg in charts.all()}
    short = {name: extent for name, extent in extents.items() if extent and extent["axis"] < extent["bar"] - 0.5}
    assert short == {}
    assert sum(extent is not None for extent in extents.values()) >= 2

"""The SVG charts written as text: escaped labels, one image for assistive technologies, whole and empty rings."""

from common import svg_charts


def test_labels_title_and_description_are_escaped():
    svg = svg_charts.horizontal_bars(
        '<script>alert("t")</script>', 'Barres "citées"', [("<b>source</b>", [("#000091", 3)])], [0, 1, 2, 3]
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;b&gt;source&lt;/b&gt;" in svg
    assert 'role="img" aria-label="Barres &quot;citées&quot;"' in svg


def test_a_slice_holding_everything_draws_the_whole_ring():
    svg = svg_charts.ring("Ressenti", "Anneau.", [("Positif", "#18753c", 7), ("Négatif", "#ce0500", 0)])
    path = svg.split('<path d="')[1].split('"')[0]
    assert path.count(" A ") == 4  # two half rings: one arc cannot draw a whole turn
    assert svg.count("<path") == 1
    assert ">7</text>" in svg


def test_an_empty_ring_says_there_is_no_data():
    svg = svg_charts.ring("Ressenti", "Anneau.", [("Positif", "#18753c", 0)])
    assert "Aucune donnée" in svg and "<path" not in svg


def test_value_axis_reaches_its_last_tick_past_the_longest_bar():
    svg = svg_charts.vertical_bars("Par mois", "Histogramme.", [("janv.", 5), ("févr.", 8)], [0, 4, 8, 12])
    assert ">12</text>" in svg
    assert svg.count("<rect") == 2

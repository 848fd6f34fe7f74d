"""Inline SVG bar charts: geometry in attributes, colours in classes (no inline style under the CSP),
every text escaped, an accessible name, and sensible output for empty or all-zero data."""

from __future__ import annotations

import re

from triage.service.svg_charts import Bar, Pair, columns, hbars, paired_hbars


def test_bars_scale_to_the_largest_value_and_escape_text() -> None:
    svg = str(hbars([Bar("<b>a</b>", 2, "2", "sev-high"), Bar("b", 4, "4")], title='t "x"'))
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg and "&#34;x&#34;" in svg
    assert "<b>" not in svg and "&lt;b&gt;a&lt;/b&gt;" in svg
    assert "style" not in svg and "<script" not in svg
    widths = [
        float(w) for w in re.findall(r'<rect class="bar[^"]*" x="[^"]+" y="[^"]+" width="([^"]+)"', svg)
    ]
    assert widths[1] == 2 * widths[0]
    assert 'class="bar sev-high"' in svg


def test_columns_thin_out_their_names_and_handle_zeros() -> None:
    weeks = [Bar(f"W{i:02d}", 0, "0") for i in range(52)]
    svg = str(columns(weeks, title="leeg"))
    assert svg.count("<rect") == 52 and svg.count('class="axis"') == 13  # every fourth week named
    assert str(columns([], title="niets")).endswith("</svg>")


def test_pairs_show_a_legend_and_leave_out_an_unknown_second_value() -> None:
    both = str(paired_hbars([Pair("x", 0.5, 0.25, "50%", "25%")], title="p", names=("productie", "training")))
    assert "productie" in both and "training" in both and both.count('class="bar second"') == 2
    only = str(paired_hbars([Pair("x", 0.5, None, "50%", "")], title="p", names=("productie", "training")))
    assert "training" not in only and 'class="bar second"' not in only

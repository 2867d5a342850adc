"""The 12-month trend, drawn on the server as inline SVG (no JavaScript).

The SVG is hidden from screen readers (aria-hidden); the template puts the same points in a
visually hidden table next to it.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .indicators import PERCENT, Indicator

LINE = "#1d70b8"  # GOV.UK blue
TARGET = "#505a5f"  # GOV.UK dark grey


def trend_svg(indicator: Indicator, points: list[tuple], *, target: float | None = None,
              width: int = 160, height: int = 40) -> SafeString:
    """A line of the values (gaps where there is no data) with the target as a dashed line."""
    values = [v for _, v in points if v is not None]
    if not values:
        return format_html('<svg class="app-trend" width="{}" height="{}" aria-hidden="true" focusable="false" '
                           'viewBox="0 0 {} {}"></svg>', width, height, width, height)
    scale = values + ([target] if target is not None else [])
    low, high = (0.0, 100.0) if indicator.kind == PERCENT else (min(0.0, min(scale)), max(scale) * 1.1 or 1.0)
    pad = 3
    span = high - low or 1.0
    count = max(len(points) - 1, 1)

    def x(i):
        return pad + (width - 2 * pad) * (i / count if len(points) > 1 else 0.5)

    def y(v):
        return height - pad - (height - 2 * pad) * ((v - low) / span)

    segments, current = [], []
    for i, (_, value) in enumerate(points):
        if value is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(f"{x(i):.1f},{y(value):.1f}")
    if current:
        segments.append(current)
    lines = format_html_join(
        "", '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
        ((" ".join(seg), LINE) for seg in segments if len(seg) > 1),
    )
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="2" fill="{}"/>',
        ((f"{x(i):.1f}", f"{y(v):.1f}", LINE) for i, (_, v) in enumerate(points) if v is not None),
    )
    target_line = mark_safe("")
    if target is not None and low <= target <= high:
        target_line = format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="4 3" stroke-width="1"/>',
            pad, width - pad, f"{y(target):.1f}", f"{y(target):.1f}", TARGET,
        )
    return format_html(
        '<svg class="app-trend" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">{}{}{}</svg>',
        width, height, width, height, target_line, lines, dots,
    )

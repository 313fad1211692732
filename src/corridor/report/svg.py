"""Small charts written directly as inline SVG: lines, markers, error bars, circles, text.

Why not matplotlib: a report drew six figures in ~5 s, and every place name went through
mathtext (a name with ``$...$`` crashed it). Here the report's pre-aggregated series become
SVG elements in milliseconds, the file stays self-contained (no script, no web access), and
every string is XML-escaped plain text. A chart is a plain object (``Axes`` with ``lines``,
``markers``, ``texts`` ...) so tests can check what is drawn without parsing the SVG.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

# matplotlib's tab10, so colours read as before ("C0" ... "C9")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
DASHES = {"-": "", "--": "6,3", ":": "1.5,2.5", "-.": "6,2,1.5,2"}
FONT = 11.0  # px, ticks and legend
EPOCH = dt.date(1970, 1, 1)


def color(k: int) -> str:
    """The k-th palette colour (cycling)."""
    return PALETTE[k % len(PALETTE)]


def as_x(value: object) -> float:
    """Dates (date, datetime, pandas Timestamp, numpy datetime64) become days since 1970."""
    if isinstance(value, dt.datetime):
        return (value.date() - EPOCH).days + value.hour / 24.0
    if isinstance(value, dt.date):
        return float((value - EPOCH).days)
    if hasattr(value, "astype") and "datetime64" in str(getattr(value, "dtype", "")):
        return float(value.astype("datetime64[D]").astype("int64"))  # type: ignore[union-attr]
    return float(value)  # type: ignore[arg-type]


@dataclass
class Line:
    x: list[float]
    y: list[float]
    color: str
    style: str = "-"  # "-", "--", ":", "-."
    label: str | None = None
    width: float = 1.5


@dataclass
class Marker:
    x: float
    y: float
    shape: str  # "o" circle, "s" square, "^" triangle, "D" diamond, "*" star
    color: str
    filled: bool = True
    size: float = 4.0  # radius in px
    label: str | None = None
    edge: str | None = None


@dataclass
class ErrorBar:
    x: float
    y: float
    low: float
    high: float
    color: str = "#000000"
    label: str | None = None


@dataclass
class Circle:
    """A circle whose area (px²) stands for a number (maps)."""

    x: float
    y: float
    area: float
    color: str
    edge: str
    opacity: float = 0.45


@dataclass
class Band:
    """A shaded area between two curves over the same x (a 5-95 % band)."""

    x: list[float]
    low: list[float]
    high: list[float]
    color: str
    label: str | None = None
    opacity: float = 0.25


@dataclass
class Text:
    x: float
    y: float
    text: str
    size: float = 8.0


@dataclass
class LegendEntry:
    label: str
    color: str
    kind: str = "line"  # "line", a marker shape, or "circle:AREA"
    style: str = "-"
    filled: bool = True


@dataclass
class Axes:
    """One panel in data coordinates; ``dates`` makes the x axis a calendar axis."""

    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    dates: bool = True
    y_from_zero: bool = True
    aspect: float | None = None  # screen units per y unit / per x unit (maps)
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    title_size: float = 13.0
    lines: list[Line] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    errorbars: list[ErrorBar] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    extra_legend: list[LegendEntry] = field(default_factory=list)
    legend: bool = True

    def plot(self, x: Sequence[object], y: Sequence[float], style: str = "-", *,
             color: str, label: str | None = None, width: float = 1.5) -> Line:
        line = Line([as_x(v) for v in x], [float(v) for v in y], color, style, label, width)
        self.lines.append(line)
        return line

    def marker(self, x: object, y: float, shape: str, *, color: str, filled: bool = True,
               size: float = 4.0, label: str | None = None, edge: str | None = None) -> Marker:
        m = Marker(as_x(x), float(y), shape, color, filled, size, label, edge)
        self.markers.append(m)
        return m

    def text(self, x: object, y: float, text: str, size: float = 8.0) -> None:
        self.texts.append(Text(as_x(x), float(y), str(text), size))

    def legend_entries(self) -> list[LegendEntry]:
        entries, seen = [], set()
        for line in self.lines:
            if line.label and line.label not in seen:
                seen.add(line.label)
                entries.append(LegendEntry(line.label, line.color, "line", line.style))
        for m in self.markers:
            if m.label and m.label not in seen:
                seen.add(m.label)
                entries.append(LegendEntry(m.label, m.color, m.shape, filled=m.filled))
        for e in self.errorbars:
            if e.label and e.label not in seen:
                seen.add(e.label)
                entries.append(LegendEntry(e.label, e.color, "D"))
        for b in self.bands:
            if b.label and b.label not in seen:
                seen.add(b.label)
                entries.append(LegendEntry(b.label, b.color, "circle:60"))
        return entries + self.extra_legend

    def limits(self) -> tuple[float, float, float, float]:
        xs = [v for ln in self.lines for v in ln.x] + [m.x for m in self.markers]
        xs += [e.x for e in self.errorbars] + [c.x for c in self.circles]
        ys = [v for ln in self.lines for v in ln.y] + [m.y for m in self.markers]
        ys += [e.high for e in self.errorbars] + [c.y for c in self.circles]
        xs += [v for b in self.bands for v in b.x]
        ys += [v for b in self.bands for v in (*b.low, *b.high)]
        x0, x1 = self.xlim or ((min(xs), max(xs)) if xs else (0.0, 1.0))
        y0, y1 = self.ylim or ((min(ys), max(ys)) if ys else (0.0, 1.0))
        if self.ylim is None and self.y_from_zero:
            y0 = min(0.0, y0)
        if self.ylim is None:
            y1 = y1 + 0.05 * (y1 - y0) if y1 > y0 else y0 + 1.0
        if x1 <= x0:
            x0, x1 = x0 - 0.5, x1 + 0.5
        return x0, x1, y0, y1


def nice_ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    """Round tick values covering [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.ceil(lo / step - 1e-9) * step
    return [start + k * step for k in range(int((hi - start) / step + 1e-9) + 1)]


def date_ticks(lo: float, hi: float, max_ticks: int = 9) -> list[tuple[float, str]]:
    """Calendar ticks: every k days for short periods, month starts for long ones."""
    first = EPOCH + dt.timedelta(days=math.ceil(lo))
    last = EPOCH + dt.timedelta(days=math.floor(hi))
    span = (last - first).days
    ticks: list[tuple[float, str]] = []
    if span <= 130:
        step = next(s for s in (1, 2, 3, 7, 14, 21, 28, 35) if span / s <= max_ticks - 1)
        day, year = first, None
        while day <= last:
            label = f"{day:%b} {day.day}"
            if day.year != year:
                label += f" {day.year}"
                year = day.year
            ticks.append(((day - EPOCH).days, label))
            day += dt.timedelta(days=step)
        return ticks
    months = span / 30.4
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= max_ticks - 1)
    year, month = first.year, first.month + (first.day > 1)
    while True:
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        day = dt.date(year, month, 1)
        if day > last:
            return ticks
        if (month - 1) % step == 0:
            ticks.append(((day - EPOCH).days, f"{day:%b %Y}"))
        month += 1


def fmt_number(value: float, step: float) -> str:
    if step >= 1 or value == 0:
        return f"{value:,.0f}"
    return f"{value:,.{max(0, -math.floor(math.log10(step)))}f}"


def _text_width(text: str, size: float) -> float:
    return 0.58 * size * len(text)


def _shape(shape: str, x: float, y: float, r: float, fill: str, edge: str) -> str:
    style = f'fill="{fill}" stroke="{edge}" stroke-width="1.2"'
    if shape == "o":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'
    if shape == "s":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" ' \
               f'height="{2 * r:.1f}" {style}/>'
    if shape == "^":
        pts = [(x, y - r * 1.2), (x - r * 1.1, y + r * 0.8), (x + r * 1.1, y + r * 0.8)]
    elif shape == "D":
        pts = [(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)]
    else:  # star
        pts = [(x + (r * 1.6 if k % 2 == 0 else r * 0.7) * math.sin(k * math.pi / 5),
                y - (r * 1.6 if k % 2 == 0 else r * 0.7) * math.cos(k * math.pi / 5))
               for k in range(10)]
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
    return f'<polygon points="{path}" {style}/>'


@dataclass
class Figure:
    """Panels on a grid (small multiples), an optional shared legend below, rendered as SVG."""

    width: float = 900.0
    panel_height: float = 360.0
    ncols: int = 1
    axes: list[Axes] = field(default_factory=list)
    footer_legend: list[LegendEntry] = field(default_factory=list)

    def add_axes(self, **options: object) -> Axes:
        ax = Axes(**options)  # type: ignore[arg-type]
        self.axes.append(ax)
        return ax

    def to_svg(self, description: str = "", name: str = "fig") -> str:
        """The figure as an ``<svg>`` element; ``name`` keeps its clip-path ids unique on a page."""
        nrows = max(1, math.ceil(len(self.axes) / self.ncols))
        footer = 40.0 if self.footer_legend else 0.0
        height = nrows * self.panel_height + footer
        cell_w = self.width / self.ncols
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width:.0f} '
            f'{height:.0f}" width="{self.width:.0f}" height="{height:.0f}" role="img" '
            f'font-family="system-ui, sans-serif" font-size="{FONT:.0f}">'
        ]
        if description:
            parts.append(f"<title>{escape(description)}</title>")
        for k, ax in enumerate(self.axes):
            x0, y0 = (k % self.ncols) * cell_w, (k // self.ncols) * self.panel_height
            parts.append(_render_axes(ax, x0, y0, cell_w, self.panel_height, f"{name}-{k}"))
        if self.footer_legend:
            parts.append(_footer(self.footer_legend, self.width, height - footer))
        parts.append("</svg>")
        return "\n".join(parts)


def _legend_symbol(e: LegendEntry, x: float, y: float) -> str:
    if e.kind == "line":
        dash = DASHES.get(e.style, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 22:.1f}" y2="{y:.1f}" '
                f'stroke="{e.color}" stroke-width="2"{dash_attr}/>')
    if e.kind.startswith("circle:"):
        r = math.sqrt(float(e.kind.split(":")[1]) / math.pi)
        return (f'<circle cx="{x + 11:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{e.color}" '
                f'fill-opacity="0.45" stroke="#000080" stroke-width="0.6"/>')
    fill = e.color if e.filled else "none"
    return _shape(e.kind, x + 11, y, 4.0, fill, "#000000" if e.kind == "*" else e.color)


def _footer(entries: Sequence[LegendEntry], width: float, top: float) -> str:
    widths = [34 + _text_width(e.label, FONT) + 18 for e in entries]
    x = max(4.0, (width - sum(widths)) / 2)
    out = ['<g class="legend">']
    for e, w in zip(entries, widths, strict=True):
        out.append(_legend_symbol(e, x, top + 20))
        out.append(f'<text x="{x + 30:.1f}" y="{top + 24:.1f}">{escape(e.label)}</text>')
        x += w
    out.append("</g>")
    return "".join(out)


def _render_axes(ax: Axes, left: float, top: float, width: float, height: float,
                 clip: str) -> str:
    entries = ax.legend_entries() if ax.legend else []
    legend_w = max((_text_width(e.label, FONT) for e in entries), default=0.0)
    legend_w = min(legend_w + 40, width * 0.4) if entries else 0.0
    pad_l, pad_r, pad_t, pad_b = 62.0, 12.0 + legend_w, 26.0, 40.0
    pw, ph = width - pad_l - pad_r, height - pad_t - pad_b
    x0, x1, y0, y1 = ax.limits()
    if ax.aspect:  # equal screen scale (× aspect) on both axes: shrink one side, centre it
        scale = min(pw / (x1 - x0), ph / ((y1 - y0) * ax.aspect))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        x0, x1 = cx - pw / scale / 2, cx + pw / scale / 2
        y0, y1 = cy - ph / scale / ax.aspect / 2, cy + ph / scale / ax.aspect / 2
    ox, oy = left + pad_l, top + pad_t

    def sx(v: float) -> float:
        return ox + (v - x0) / (x1 - x0) * pw

    def sy(v: float) -> float:
        return oy + ph - (v - y0) / (y1 - y0) * ph

    out = [f'<g class="axes" data-title="{escape(ax.title, quote=True)}">']
    out.append(f'<rect x="{ox:.1f}" y="{oy:.1f}" width="{pw:.1f}" height="{ph:.1f}" '
               'fill="none" stroke="#999"/>')
    if ax.title:
        out.append(f'<text class="title" x="{ox + pw / 2:.1f}" y="{top + 17:.1f}" '
                   f'text-anchor="middle" font-size="{ax.title_size:.0f}">'
                   f"{escape(ax.title)}</text>")
    # grid and ticks
    yt = [v for v in nice_ticks(y0, y1) if y0 <= v <= y1]
    ystep = yt[1] - yt[0] if len(yt) > 1 else 1.0
    for v in yt:
        y = sy(v)
        out.append(f'<line x1="{ox:.1f}" y1="{y:.1f}" x2="{ox + pw:.1f}" y2="{y:.1f}" '
                   'stroke="#000" stroke-opacity="0.1"/>')
        out.append(f'<text x="{ox - 5:.1f}" y="{y + 4:.1f}" text-anchor="end">'
                   f"{fmt_number(v, ystep)}</text>")
    if ax.dates:
        xt = date_ticks(x0, x1)
    else:
        raw = [v for v in nice_ticks(x0, x1, 7) if x0 <= v <= x1]
        step = raw[1] - raw[0] if len(raw) > 1 else 1.0
        xt = [(v, fmt_number(v, step)) for v in raw]
    for v, label in xt:
        x = sx(v)
        out.append(f'<line x1="{x:.1f}" y1="{oy:.1f}" x2="{x:.1f}" y2="{oy + ph:.1f}" '
                   'stroke="#000" stroke-opacity="0.1"/>')
        out.append(f'<text x="{x:.1f}" y="{oy + ph + 15:.1f}" text-anchor="middle">'
                   f"{escape(label)}</text>")
    if ax.xlabel:
        out.append(f'<text x="{ox + pw / 2:.1f}" y="{oy + ph + 33:.1f}" '
                   f'text-anchor="middle">{escape(ax.xlabel)}</text>')
    if ax.ylabel:
        out.append(f'<text transform="translate({left + 14:.1f},{oy + ph / 2:.1f}) '
                   f'rotate(-90)" text-anchor="middle">{escape(ax.ylabel)}</text>')
    # data, clipped to the panel
    clip = "clip-" + "".join(ch for ch in clip if ch.isalnum() or ch == "-")
    out.append(f'<clipPath id="{clip}"><rect x="{ox:.1f}" y="{oy:.1f}" width="{pw:.1f}" '
               f'height="{ph:.1f}"/></clipPath><g clip-path="url(#{clip})">')
    for b in ax.bands:
        edge = list(zip(b.x, b.high, strict=True)) + list(zip(b.x, b.low, strict=True))[::-1]
        pts = " ".join(f"{sx(a):.1f},{sy(v):.1f}" for a, v in edge if math.isfinite(v))
        out.append(f'<polygon class="band" points="{pts}" fill="{b.color}" '
                   f'fill-opacity="{b.opacity}" stroke="none"/>')
    for c in ax.circles:
        out.append(f'<circle class="people" cx="{sx(c.x):.1f}" cy="{sy(c.y):.1f}" '
                   f'r="{math.sqrt(c.area / math.pi):.2f}" fill="{c.color}" '
                   f'fill-opacity="{c.opacity}" stroke="{c.edge}" stroke-width="0.5"/>')
    for line in ax.lines:
        pts = " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(line.x, line.y, strict=True)
                       if math.isfinite(b))
        dash = DASHES.get(line.style, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        label = f' data-label="{escape(line.label, quote=True)}"' if line.label else ""
        out.append(f'<polyline class="line"{label} points="{pts}" fill="none" '
                   f'stroke="{line.color}" stroke-width="{line.width}"{dash_attr}/>')
    for e in ax.errorbars:
        x = sx(e.x)
        out.append(f'<g class="errorbar" stroke="{e.color}"><line x1="{x:.1f}" '
                   f'y1="{sy(e.low):.1f}" x2="{x:.1f}" y2="{sy(e.high):.1f}"/>'
                   f'<line x1="{x - 3:.1f}" y1="{sy(e.low):.1f}" x2="{x + 3:.1f}" '
                   f'y2="{sy(e.low):.1f}"/><line x1="{x - 3:.1f}" y1="{sy(e.high):.1f}" '
                   f'x2="{x + 3:.1f}" y2="{sy(e.high):.1f}"/></g>')
        out.append(_shape("D", x, sy(e.y), 3.0, e.color, e.color))
    for m in ax.markers:
        fill = m.color if m.filled else "none"
        out.append(_shape(m.shape, sx(m.x), sy(m.y), m.size, fill, m.edge or m.color))
    out.append("</g>")
    for t in ax.texts:
        out.append(f'<text class="label" x="{sx(t.x) + 4:.1f}" y="{sy(t.y) - 4:.1f}" '
                   f'font-size="{t.size:.0f}">{escape(t.text)}</text>')
    if entries:
        lx, ly = ox + pw + 10, oy + 8
        out.append('<g class="legend">')
        for entry in entries:
            out.append(_legend_symbol(entry, lx, ly))
            out.append(f'<text x="{lx + 28:.1f}" y="{ly + 4:.1f}">{escape(entry.label)}</text>')
            ly += 16
        out.append("</g>")
    out.append("</g>")
    return "".join(out)

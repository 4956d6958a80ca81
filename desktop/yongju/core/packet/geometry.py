"""Placing a page's visible box onto an A4 sheet: rotation, scale to fit, centring."""

from __future__ import annotations

from dataclasses import dataclass

from yongju.core.packet.model import A4_PORTRAIT

Matrix = tuple[float, float, float, float, float, float]
A4_TOLERANCE = 1.5  # points: 2480 x 3508 px at 300 dpi is 595.2 x 841.9


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points (x0, y0 lower left)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def shown_size(box: Box, rotation: int) -> tuple[float, float]:
    """Width and height of the box as a viewer shows it, after a clockwise rotation."""
    if rotation % 180:
        return box.height, box.width
    return box.width, box.height


def upright(box: Box, rotation: int) -> Matrix:
    """Maps the box to (0, 0)-(W, H) as shown after rotating it clockwise by ``rotation``."""
    w, h = box.width, box.height
    shift: Matrix = (1, 0, 0, 1, -box.x0, -box.y0)
    turn: Matrix = {
        0: (1, 0, 0, 1, 0, 0),
        90: (0, -1, 1, 0, 0, w),
        180: (-1, 0, 0, -1, w, h),
        270: (0, 1, -1, 0, h, 0),
    }[rotation % 360]
    return multiply(shift, turn)


def is_a4(width: float, height: float) -> bool:
    """True when a shown size is A4 portrait or landscape, within a point and a half."""
    a, b = A4_PORTRAIT
    return (abs(width - a) <= A4_TOLERANCE and abs(height - b) <= A4_TOLERANCE) or (
        abs(width - b) <= A4_TOLERANCE and abs(height - a) <= A4_TOLERANCE
    )


def fit(box: Box, rotation: int, area: Box, *, expand: bool = True, unit: float = 1.0) -> Matrix:
    """The matrix drawing ``box`` (rotated) centred in ``area``, scaled to fit, never cropped
    and never stretched; ``expand=False`` keeps small content at its true size. ``unit`` is
    the page's /UserUnit: its true size is the box times that many points."""
    w, h = shown_size(box, rotation)
    w, h = w * unit, h * unit
    if w <= 0 or h <= 0:
        return (1, 0, 0, 1, area.x0, area.y0)
    scale = min(area.width / w, area.height / h)
    if not expand:
        scale = min(scale, 1.0)
    x = area.x0 + (area.width - w * scale) / 2
    y = area.y0 + (area.height - h * scale) / 2
    return multiply(upright(box, rotation), (scale * unit, 0, 0, scale * unit, x, y))


def fits_half_sheet(width: float, height: float) -> bool:
    """True when content this size fits half an A4 sheet at its true size (ID cards)."""
    a, b = A4_PORTRAIT
    half = (a, b / 2)
    small, large = sorted((width, height))
    return small <= min(half) * 1.05 and large <= max(half) * 1.05

"""A photographed page: the sheet found on what lies around it, and seen square.

A phone photo of a form shows the sheet on a desk, at an angle: its edges are a
quadrilateral, not the image's border, and the rules of its tables converge. A scan's
paper fills its image to the edges; a photo's sheet is a bright quadrilateral on a
darker surround. The sheet's four corners are found on a small copy of the image (the
largest bright region, its outline reduced to four points) and the sheet is warped to
a rectangle as long as its edges, at the photo's own resolution. Uneven light is left
to the page's flattening (scan_lines.flatten), as for any scan.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from extract.raster import PageImage

BORDER = 0.03  # share of the image's side: the strip along its edges that shows the surround
DARKER = 0.7  # a surround this much darker than the image's middle is no paper
MIN_SHEET = 0.3  # the sheet covers at least this share of the photo
WORK_SIDE = 800  # pixels: the longer side of the copy the corners are found on
SHEET_LONG_SIDE = 842.0  # points: the long side a photographed sheet is set to (A4's)


def is_photo(grey: np.ndarray) -> bool:
    """Is the page's image a sheet on a darker surround, not paper to its edges?"""
    h, w = grey.shape
    bw, bh = max(1, int(BORDER * w)), max(1, int(BORDER * h))
    ring = np.concatenate([grey[:bh].ravel(), grey[-bh:].ravel(), grey[:, :bw].ravel(),
                           grey[:, -bw:].ravel()])
    middle = grey[h // 4: 3 * h // 4, w // 4: 3 * w // 4]
    return float(np.median(ring)) < DARKER * float(np.median(middle))


def sheet_corners(grey: np.ndarray) -> np.ndarray | None:
    """The sheet's corners (top-left, top-right, bottom-right, bottom-left) in the
    image's pixels, or None when no four-cornered sheet stands out."""
    h, w = grey.shape
    factor = WORK_SIDE / max(h, w)
    small = cv2.resize(grey, (max(1, int(w * factor)), max(1, int(h * factor))),
                       interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # the sheet's print (rules, text) is dark too: closed over, the sheet is one region
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    if cv2.contourArea(outline) < MIN_SHEET * small.shape[0] * small.shape[1]:
        return None
    hull = cv2.convexHull(outline)
    perimeter = cv2.arcLength(hull, True)
    for share in (0.02, 0.03, 0.05, 0.08):
        quad = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(quad) == 4:
            return _ordered(quad.reshape(4, 2).astype(np.float32) / factor)
    return None


def _ordered(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    total, diff = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.float32([points[np.argmin(total)], points[np.argmin(diff)],
                       points[np.argmax(total)], points[np.argmax(diff)]])


def aspect(corners: np.ndarray, shape: tuple[int, ...]) -> float | None:
    """The sheet's true width over height, from its four corners in the photo: a camera
    with square pixels and its axis through the image's centre sees a rectangle's two
    pairs of edges meet at vanishing points that fix its focal length, and with it the
    rectangle's proportions (Zhang and He, "Whiteboard scanning and image
    enhancement", 2007). None when the sheet is seen too square-on to tell (the
    edges' own lengths then say it)."""
    u0, v0 = shape[1] / 2.0, shape[0] / 2.0
    tl, tr, br, bl = (np.array([x, y, 1.0]) for x, y in corners)
    m1, m2, m3, m4 = tl, tr, bl, br
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    if abs(n2[2] * n3[2]) < 1e-9:
        return None
    f2 = -((n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 + n2[2] * n3[2] * u0 * u0)
           + (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 + n2[2] * n3[2] * v0 * v0)) \
        / (n2[2] * n3[2])
    if not f2 > 0:
        return None
    inverse = np.linalg.inv(np.array([[np.sqrt(f2), 0, u0], [0, np.sqrt(f2), v0], [0, 0, 1.0]]))
    a, b = inverse @ n2, inverse @ n3
    return float(np.sqrt(np.dot(a, a) / np.dot(b, b)))


Sheet = tuple[float, ...]  # x, y of its four corners on the page (points), then its width, height


def rectified(image: PageImage) -> tuple[PageImage, Sheet | None]:
    """The page image with a photographed sheet seen square, and where the sheet lies on
    the page (its corners, top-left first, in the page's points as displayed, then the
    sheet's own width and height in points); or the image as it was, and None, when it
    is no photo or no sheet stands out."""
    if not is_photo(image.grey):
        return image, None
    corners = sheet_corners(image.grey)
    if corners is None:
        return image, None
    tl, tr, br, bl = corners
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    ratio = aspect(corners, image.grey.shape)
    if ratio is None:  # seen nearly square-on: the edges themselves
        ratio = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / \
            (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr))
    width, height = int(round(height * ratio)), int(round(height))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(corners, target)
    sheet = cv2.warpPerspective(image.grey, matrix, (width, height), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)
    # every sheet of a file photographed page by page is set to one size, its long side
    # A4's: tables that go on from page to page are matched by their edges in points,
    # and each photo was taken from its own distance
    scale = max(width, height) / SHEET_LONG_SIDE
    on_page = tuple(float(v) for x, y in corners
                    for v in (image.left + x / image.scale_x, image.top + y / image.scale_y))
    return (replace(image, grey=sheet, left=0.0, top=0.0, scale_x=scale, scale_y=scale),
            (*on_page, width / scale, height / scale))

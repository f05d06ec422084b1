"""Connected ink blobs of a binary image: the one call every scan module makes.

OpenCV labels a page up to three times faster into 16-bit labels than into its
default 32-bit ones (20 ms against 54 ms for an A4 page at 300 dpi, where the
label image, not the labelling, is the cost). A page has more than 65,534 blobs
only when it is mostly noise; OpenCV then refuses the 16-bit labels and the
32-bit ones are made instead, so the result never depends on the count.
"""

from __future__ import annotations

import cv2
import numpy as np


def components(binary: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """(count including the background, labels, stats) of the 8-connected blobs,
    as ``cv2.connectedComponentsWithStats`` gives them."""
    try:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8,
                                                               ltype=cv2.CV_16U)
    except cv2.error:  # too many blobs for 16-bit labels
        n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8,
                                                               ltype=cv2.CV_32S)
    return n, labels, stats

"""The site's icon, made in code: a 16×16 square in the header's colour, as a Windows icon.

Browsers ask for ``/favicon.ico`` whatever the page says; answering keeps 404s
out of the logs without shipping a binary file.
"""

from __future__ import annotations

import functools
import struct

SIZE = 16
#: the header's navy, and a white bar for a touch of shape (BGRA)
NAVY = bytes((0x4B, 0x29, 0x13, 0xFF))
WHITE = bytes((0xFF, 0xFF, 0xFF, 0xFF))


@functools.cache
def favicon() -> bytes:
    """ICO file: one 32-bit 16×16 image (BMP rows bottom-up) and its empty AND mask."""
    rows = []
    for y in range(SIZE):  # bottom row first
        rows.append(b"".join(WHITE if 4 <= y <= 5 and 3 <= x <= 12 else NAVY for x in range(SIZE)))
    pixels = b"".join(rows)
    mask = b"\x00" * (4 * SIZE)  # 1 bit per pixel, rows padded to 32 bits: all opaque
    header = struct.pack("<IiiHHIIiiII", 40, SIZE, SIZE * 2, 1, 32, 0, len(pixels), 0, 0, 0, 0)
    image = header + pixels + mask
    directory = struct.pack("<HHH", 0, 1, 1) + struct.pack(
        "<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16
    )
    return directory + image

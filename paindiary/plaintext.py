"""Text with nothing a terminal or a renderer could act on: the control characters paindiary removes.

:data:`CONTROLS` is the one definition, used by :func:`paindiary.console.safe` (text
for a terminal) and by the charts and report (text drawn into a figure or PDF).
Pure: imports nothing but :mod:`re`.
"""

from __future__ import annotations

import re

# What a terminal could act on, removed whole: CSI sequences (ESC [ or the C1 CSI), the
# string sequences OSC (e.g. OSC 52, which sets the clipboard), DCS, SOS, PM and APC up to
# their terminator (BEL or ST, or the end of the line), any other ESC sequence, and single
# control characters: C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069) that make text read in another order.
# (An 8-bit string introducer such as U+009D goes alone: without it the rest is inert text,
# and text decoded twice, where "”" became "â\x80\x9d", keeps the rest of its line.)
CONTROLS = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)

# JSON escapes C0 itself; these it writes raw, and a terminal could act on them. As \\uXXXX
# escapes (inside JSON strings, where alone they can occur) they read back the same.
JSON_ESCAPES = {code: f"\\u{code:04x}" for code in (*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def strip_controls(text: str) -> str:
    """``text`` without control characters and escape sequences (tab and newline stay)."""
    return CONTROLS.sub("", text)

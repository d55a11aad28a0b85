"""A dependency-free terminal progress bar with ETA, written to stderr.

On a TTY it redraws one line; otherwise (nohup logs, CI) it prints a line every 10 % so logs stay short.
"""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


def fmt_secs(s: float) -> str:
    s = max(0, int(round(s)))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


class Progress:
    def __init__(self, total: int, label: str, stream: Optional[TextIO] = None, width: int = 28):
        self.total = max(1, total)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.t0 = time.time()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.last_decile = -1
        self.last_draw = 0.0

    def update(self, n: int = 1, **metrics: float) -> None:
        self.done = min(self.total, self.done + n)
        now = time.time()
        frac = self.done / self.total
        elapsed = now - self.t0
        eta = elapsed / frac - elapsed if frac > 0 else 0.0
        extra = " ".join(f"{k} {v:.4g}" for k, v in metrics.items())
        filled = int(round(self.width * frac))
        line = (
            f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {frac * 100:5.1f}% "
            f"{self.done}/{self.total} {extra} elapsed {fmt_secs(elapsed)} ETA {fmt_secs(eta)}"
        )
        if self.tty:
            if now - self.last_draw > 0.1 or self.done == self.total:
                self.stream.write("\r\x1b[2K" + line)
                self.stream.flush()
                self.last_draw = now
        else:
            decile = int(frac * 10)
            if decile != self.last_decile:
                self.last_decile = decile
                self.stream.write(line + "\n")
                self.stream.flush()

    def close(self) -> float:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
        return time.time() - self.t0

"""One lock around PDFium, which must never be called from two threads at once."""

from __future__ import annotations

import threading

# PDFium keeps global state and is not thread-safe (pypdfium2's documentation says so):
# importing, thumbnails and previews all run on worker threads and take this lock.
PDFIUM_LOCK = threading.RLock()

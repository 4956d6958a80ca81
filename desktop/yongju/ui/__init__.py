"""Yongju's window: every Qt import lives under this package (core never imports Qt)."""

"""Yongju (永居): assemble, check and print a China permanent-residence dossier."""

__version__ = "0.1.0"

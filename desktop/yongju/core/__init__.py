"""Yongju's core: store, importing, profiles, checklist, packet and watching, with no Qt."""

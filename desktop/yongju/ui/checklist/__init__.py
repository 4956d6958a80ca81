"""The checklist on the left: one row per requirement (slot) of the case with its state, drawn
two-language titles, the readiness banner, what a requirement asks for in words (shown above
its documents) and the "does this apply to you?" decisions of a slot's context menu.
"""

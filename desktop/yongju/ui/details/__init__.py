"""The details panel beside the preview: what the user says about the selected document (title,
issue, expiry and legalisation dates, language, origin, role, notes), with the date field that
also holds "no date" (the case bar and the facts form use it too). It emits requests; the
editor turns them into commands.
"""

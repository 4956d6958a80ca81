"""The case bar at the top of the window: choosing, creating, renaming and deleting cases,
their requirement profile, planned submission date and facts (city, route, marriage date…),
the list model of cases, the "New case" dialog and the facts form.
"""

"""The signed-in user's desk: "my work" (read from the domains' own permission-filtered queries),
the notifications page, e-mail preferences and saved filters.

High on purpose: it reads projects and governance. The notifications themselves (models, kinds,
recipients, delivery, ``notify()``) live low in :mod:`serai.workspace`, which the domains call.
"""

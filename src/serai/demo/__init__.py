"""Demo content (``serai loaddemo``) and the benchmark generator (``serai generateprojects``).

The top package: it writes into every domain through the domains' operations, and no domain
imports it. ``registry.load_demo`` (organisations, people, role logins), ``projects`` (demo
projects and ``generate``), ``network`` (profiles, experts, introductions).
"""

"""Matchmaking pages: thin views over forms, ``operations`` and ``queries``."""

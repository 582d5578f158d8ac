"""Forum matchmaking: one-to-one partner meetings at Forum sessions (issue 16)."""

"""Serai: the digital secretariat of a multilateral cooperation forum."""

__version__ = "0.1.0"

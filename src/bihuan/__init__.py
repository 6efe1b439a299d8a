"""Bihuan (闭环): closed-loop work orders."""

__version__ = "0.1.0"

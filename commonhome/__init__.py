"""Common Home: a platform cities run to welcome newcomers."""

__version__ = "0.1.0"

"""policycli: query a government support-policy list from the command line."""

__version__ = "0.1.0"

"""corridor: simulate and understand migration through the Central America–Mexico–US corridor."""

__version__ = "0.1.0"

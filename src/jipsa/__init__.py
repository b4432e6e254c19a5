"""jipsa (집사): an open, vendor-neutral home assistant that understands Korean."""

__version__ = "0.1.0"

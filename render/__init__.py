"""gongwen: structured YAML plans to Chinese official documents (GB/T 9704-2012)."""

__version__ = "0.1.0"

"""threatwatch: sourced incidents, actors and threat briefs from counter-terrorism reporting."""

__version__ = "0.1.0"

__all__ = ["__version__"]

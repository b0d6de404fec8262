"""`promises`: the name the consumer documentation's requirements.txt uses (a typo for `promise`,
which is all that exists). Re-exports the `promise` stand-in so either import works."""

from promise import Promise, is_thenable  # noqa: F401

__all__ = ['Promise', 'is_thenable']
__version__ = '0.0.0+pnshim'

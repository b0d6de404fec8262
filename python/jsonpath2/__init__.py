"""`jsonpath2` stand-in for consumer venvs without a package index: see
pacifica_notifications_consumer.jsonpath2 for what it supports. A requirement with a version
(`jsonpath2>=0.4`) is not satisfied by it, so pip then installs the real library."""

from pacifica_notifications_consumer.jsonpath2 import MatchData, Path, match  # noqa: F401

__all__ = ['Path', 'MatchData', 'match']
__version__ = '0.0.0+pnshim'

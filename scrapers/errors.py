"""Errors the command line reports as one line instead of a traceback."""


class ProvnewsError(Exception):
    """A user-facing error: bad config, a refused migration, an unknown site."""

"""The web surface: a FastAPI JSON API and a server-rendered dashboard over a store.

>>> from reelsense.web import create_app
"""

from reelsense.web.app import create_app

__all__ = ["create_app"]

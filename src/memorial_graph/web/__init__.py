"""The web wing: the Flask application over the current release's snapshot (`app.py`), one
module per surface, the URL builder, content negotiation and the query process. Nothing here
imports from the build wing."""

from .app import create_app

__all__ = ["create_app"]

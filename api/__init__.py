"""The disclosure-nlp web service: FastAPI routes and the reviewer web page over `disclosure_nlp`.

    from api import create_app, Settings
    app = create_app(Settings())          # settings from the environment (DATABASE_URL, DISCLOSURE_NLP_*)
"""

from .app import create_app
from .settings import Settings

__all__ = ["create_app", "Settings"]

"""Where the repository and its shipped models are, for code run from a checkout or editable install."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: this package) holding pyproject.toml."""
    start = start or Path(__file__).resolve().parent
    for p in [start, *start.parents]:
        if (p / "pyproject.toml").is_file():
            return p
    return Path.cwd()


def default_models_dir() -> Path:
    """$DISCLOSURE_NLP_MODELS, else the repository's models/."""
    env = os.environ.get("DISCLOSURE_NLP_MODELS")
    if env:
        return Path(env)
    return repo_root() / "models"

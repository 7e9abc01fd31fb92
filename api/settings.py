"""Service settings, read from the environment (pydantic-settings).

Every field can be set as DISCLOSURE_NLP_<FIELD> (e.g. DISCLOSURE_NLP_RATE_LIMIT_PER_MINUTE=0);
the database also as DATABASE_URL and the models folder as DISCLOSURE_NLP_MODELS, the names the
library and most hosting platforms already use.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from disclosure_nlp.limits import Limits

_limits = Limits()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DISCLOSURE_NLP_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "DISCLOSURE_NLP_DATABASE_URL"),
        description="SQLAlchemy URL; default: a SQLite file in data_dir",
    )
    data_dir: Path | None = Field(default=None, description="Where the default SQLite file lives")
    models_dir: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("DISCLOSURE_NLP_MODELS", "DISCLOSURE_NLP_MODELS_DIR"),
        description="Model folder (default: the shipped models/)",
    )

    # input limits (uploads are checked by content, bytes and pages)
    max_upload_bytes: int = Field(default=_limits.max_bytes, gt=0)
    max_pages: int = Field(default=_limits.max_pages, gt=0)
    max_text_chars: int = Field(default=2_000_000, gt=0, description="Longest JSON `text` accepted")
    max_request_bytes: int | None = Field(
        default=None, description="Whole request body cap; default max_upload_bytes + 1 MiB for form overhead"
    )
    max_score_documents: int = Field(default=10, gt=0)

    # analysis execution
    analysis_workers: int = Field(default=2, gt=0, description="Documents analysed at once")
    async_threshold_bytes: int = Field(
        default=5 * 1024 * 1024, description="Uploads above this answer 202 and run as a job (mode=auto)"
    )
    preload_model: bool = Field(default=True, description="Load the models at start-up (in the background)")

    # security
    rate_limit_per_minute: int = Field(default=120, ge=0, description="Requests per key per minute; 0 = off")
    auth_failures_per_minute: int = Field(default=30, ge=0, description="Failed logins per client address per minute")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS; empty = CORS off")
    cookie_secure: bool = Field(default=False, description="Mark the web page's session cookie Secure (behind HTTPS)")

    @property
    def request_limit(self) -> int:
        return self.max_request_bytes or self.max_upload_bytes + 1024 * 1024

    def limits(self) -> Limits:
        return Limits(max_bytes=self.max_upload_bytes, max_pages=self.max_pages)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.data_dir:
            return f"sqlite:///{Path(self.data_dir).expanduser() / 'disclosure-nlp.db'}"
        from disclosure_nlp.store import default_database_url

        return default_database_url()

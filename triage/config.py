"""The one settings object. Read from the environment (prefix `TRIAGE_`) when first asked for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str | None = None
    model_dir: Path | None = None
    auto_migrate: bool = False
    session_hours: int = 12
    cookie_secure: bool = False
    max_text_chars: int = 100_000
    max_upload_bytes: int = 10 * 1024 * 1024
    max_import_bytes: int = 50 * 1024 * 1024
    ocr_languages: str = "nld+eng"
    public_url: str = "http://127.0.0.1:8000"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'triage.db').as_posix()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

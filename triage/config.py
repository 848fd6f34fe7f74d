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
    # Evidence bundles: each organisation's Ed25519 signing key lives in key_dir/<organisation id>/
    # (default TRIAGE_DATA_DIR/keys); an RFC 3161 time-stamping authority is used when tsa_url is set.
    key_dir: Path | None = None
    tsa_url: str | None = None
    # Retention: how often the server applies each organisation's retention period (0 = never;
    # `triage retention run` does it from the CLI or cron).
    retention_interval_hours: float = 24.0

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'triage.db').as_posix()}"

    @property
    def effective_key_dir(self) -> Path:
        return self.key_dir if self.key_dir is not None else self.data_dir / "keys"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

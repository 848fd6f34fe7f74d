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
    # Models: with model_dir unset the service serves the version named in models_dir/model_name/CURRENT
    # and swaps in a newly promoted one (checked at most every model_check_seconds) without downtime.
    models_dir: Path | None = None
    model_name: str = "triage-nl"
    model_check_seconds: float = 2.0
    # Background jobs run in the server process unless queue_url names a Redis server (redis://...):
    # then they go to an RQ queue that `triage worker` processes on any number of machines.
    queue_url: str | None = None
    queue_name: str = "triage"
    training_job_timeout_seconds: int = 6 * 3600
    # The training TOMLs that POST /api/v1/models/train may name (default: the repository's training/configs/).
    training_configs_dir: Path | None = None
    auto_migrate: bool = False
    session_hours: int = 12
    # API tokens are kept in each server process for this many seconds after a lookup (0 = off): a
    # revoked token or a deactivated user keeps working at most this long in the other processes.
    token_cache_seconds: float = 5.0
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
    # Abuse limits (per server process; 0 = off). Forwarding is counted per API token or web session,
    # login attempts per client address; an account is locked for lockout_minutes after
    # lockout_failures failed logins in a row within that time.
    forward_rate_per_minute: int = 600
    login_rate_per_minute: int = 30
    # The Perspective-compatible endpoint, per API key (Perspective's own default quota was 60).
    analyze_rate_per_minute: int = 0
    lockout_failures: int = 5
    lockout_minutes: int = 15
    # Images larger than this many pixels are refused (decompression bombs), before OCR or previews.
    max_image_pixels: int = 50_000_000
    # Logs as one JSON object per line (False: plain text, for a terminal).
    log_json: bool = True
    log_level: str = "INFO"

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

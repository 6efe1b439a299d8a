"""One settings object, read from BIHUAN_* environment variables; fails fast on bad values."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIHUAN_", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str | None = None
    timezone: str = "Asia/Shanghai"
    token_ttl_hours: int = Field(default=12, ge=1, le=24 * 30)
    # resolve -> close faster than this is recorded as suspected fake completion
    fake_completion_seconds: float = Field(default=15.0, ge=0)
    # this many closes by one person inside the window count as a bulk run
    bulk_close_count: int = Field(default=5, ge=2)
    bulk_close_window_seconds: float = Field(default=60.0, gt=0)
    # this many failed logins within the window lock the account for the window
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_minutes: int = Field(default=15, ge=1)
    # list totals are counted exactly up to this many matches, then reported as a lower bound
    list_count_cap: int = Field(default=1_000, ge=100)
    # client IPs are taken from X-Forwarded-For only when the peer is one of these
    trusted_proxies: list[str] = Field(default_factory=list)
    # the customer's public pages (QR intake, progress, sign-off): 429 + Retry-After past these
    portal_reports_per_ip_hour: int = Field(default=10, ge=1)
    portal_reports_per_device_hour: int = Field(default=5, ge=1)
    portal_signoffs_per_order_hour: int = Field(default=10, ge=1)
    portal_reads_per_ip_minute: int = Field(default=120, ge=1)
    # the address customers reach, printed into device QR codes (default: the request's own)
    public_base_url: str | None = None
    # run the SLA sweeper and the notification relay inside the web process (serve/demo)
    background_worker: bool = False
    sql_echo: bool = False
    # the built web app (`npm run build` in web/); the default is the source checkout's
    web_dist: Path = Path(__file__).resolve().parents[2] / "web" / "dist"

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, v: str | None) -> str | None:
        if v and not v.startswith(("sqlite", "postgresql")):
            raise ValueError("BIHUAN_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return v

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{(self.data_dir / 'bihuan.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()

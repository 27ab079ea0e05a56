"""Settings from the environment and `.env` (python-dotenv); `.env.example` documents each one.

Everything has a safe embedded default: SQLite in `var/`, every server on
127.0.0.1. Production changes only these values, never code.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping, Optional

from dotenv import dotenv_values
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'whatmatters.db'}"
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    rasa_api_token: str = ""
    rasa_cors: str = "*"
    chat_public_url: str = (
        ""  # how browsers reach the Rasa server (https://chat.example.org); default: its bind address
    )
    actions_host: str = "127.0.0.1"
    actions_port: int = 5055
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    model_dir: Path = PROJECT_ROOT / "models"
    log_level: str = "INFO"
    max_message_chars: int = 4000
    redis_url: str = ""
    rasa_instances: int = 1
    actions_instances: int = 1
    web_workers: int = 1
    session_idle_minutes: int = 30
    # Safety path: the council's out-of-hours emergency housing line, read to a person
    # with nowhere safe to stay tonight; a reconciler re-raises flags the database missed.
    emergency_housing_line: str = "ask NHS 111 or search your council's name and 'emergency housing'"
    reconcile_seconds: float = 60.0
    spool_dir: str = ""
    # Retention (bot/retention): days each kind of record is kept, and how often the purge runs.
    retain_abandoned_days: int = 90
    retain_closed_days: int = 2922
    retain_transcript_days: int = 365
    retain_sms_days: int = 30
    retain_audit_days: int = 2190
    purge_hours: float = 24.0
    # Patient channels: messages a minute from one sender and from one address (0: no limit).
    rate_sender_per_minute: int = 60
    rate_address_per_minute: int = 600
    # FHIR push (bot/fhir/push.py): off unless fhir_endpoint is set (a FHIR R4 server's base URL).
    fhir_endpoint: str = ""
    fhir_token: str = ""  # sent as "Authorization: Bearer ..." when set
    fhir_retry_base_seconds: float = 10.0
    fhir_retry_max_seconds: float = 900.0
    fhir_give_up_hours: float = 72.0
    fhir_poll_seconds: float = 15.0
    # SMS channel (bot/sms); off unless sms_provider is "twilio" or "notify".
    sms_provider: str = ""
    sms_public_url: str = ""
    sms_hash_key: str = ""
    sms_encryption_key: str = ""
    sms_twilio_account_sid: str = ""
    sms_twilio_auth_token: str = ""
    sms_twilio_from: str = ""
    sms_twilio_api_url: str = "https://api.twilio.com"
    sms_notify_api_key: str = ""
    sms_notify_template_id: str = ""
    sms_notify_inbound_token: str = ""
    sms_notify_sender_id: str = ""
    sms_notify_api_url: str = "https://api.notifications.service.gov.uk"
    sms_invite_url: str = ""
    sms_team_name: str = "the social prescribing team at your GP practice"
    # The number people text (shown on posters: "no smartphone? text CODE to ..."); empty: not shown.
    sms_poster_number: str = ""
    sms_max_segments: int = 6
    sms_retry_base_seconds: float = 5.0
    sms_retry_max_seconds: float = 300.0
    sms_give_up_hours: float = 24.0
    sms_poll_seconds: float = 2.0
    # Directory of community offers (bot/directory): an ORUK 3.0 API read every DIRECTORY_SYNC_HOURS
    # by the review app when DIRECTORY_SYNC_URL is set; otherwise the fictional sample is loaded once.
    directory_sync_url: str = ""
    directory_sync_token: str = ""  # sent as "Authorization: Bearer ..." when set
    directory_sync_hours: float = 24.0
    # Outcomes (bot/outcomes): the wellbeing follow-up, this many weeks after an item is closed as
    # supported, sent when due by the review app (it looks every FOLLOWUP_POLL_SECONDS); its web
    # link works for FOLLOWUP_LINK_DAYS after it is sent.
    followup_weeks: float = 12.0
    followup_poll_seconds: float = 300.0
    followup_link_days: int = 28
    followup_reminder_days: float = 7.0  # one reminder this long after sending, if nothing is answered; 0: none
    # E-mail (bot/mail): off unless smtp_host is set. security: starttls, ssl (implicit TLS) or none.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = ""
    mail_retry_base_seconds: float = 30.0
    mail_retry_max_seconds: float = 1800.0
    mail_give_up_hours: float = 72.0
    mail_poll_seconds: float = 15.0

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_host and self.mail_from)

    @property
    def sms_enabled(self) -> bool:
        return self.sms_provider in ("twilio", "notify")

    @property
    def sync_database_url(self) -> str:
        """The same database for synchronous clients (Alembic, Rasa's tracker store)."""
        url = make_url(self.database_url)
        driver = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg2"}[url.get_backend_name()]
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @property
    def spool_path(self) -> Path:
        """Where disclosures wait when the database is down: one folder per database, never shared."""
        if self.spool_dir:
            return Path(self.spool_dir)
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database:
            return Path(url.database).parent / "spool"
        digest = hashlib.sha256(self.database_url.encode("utf-8")).hexdigest()[:12]
        return PROJECT_ROOT / "var" / "spool" / digest

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    def scale_out_problems(self) -> list[str]:
        """Why these settings cannot run several Rasa instances safely (empty when they can).

        Instances sharing conversations need a shared lock store and a shared tracker
        store; without them messages of one conversation can run at once and be lost."""
        if self.rasa_instances <= 1:
            return []
        problems = []
        if not self.redis_url:
            problems.append(f"RASA_INSTANCES={self.rasa_instances} needs REDIS_URL (the shared conversation locks)")
        if self.is_sqlite:
            problems.append(f"RASA_INSTANCES={self.rasa_instances} needs PostgreSQL in DATABASE_URL, not SQLite")
        return problems

    @property
    def action_endpoint(self) -> str:
        return f"http://{self.actions_host}:{self.actions_port}/webhook"

    def lock_store_env(self) -> dict[str, str]:
        """Rasa's lock store: in memory for one instance; in Redis when several share
        conversations, through our store whose ticket changes are atomic (bot/rasa/lock_store.py)."""
        if not self.redis_url:
            return {"WM_LOCK_STORE": "bot.rasa.lock_store.PromptInMemoryLockStore", "WM_REDIS_URL": ""}
        return {"WM_LOCK_STORE": "bot.rasa.lock_store.OrderedRedisLockStore", "WM_REDIS_URL": self.redis_url}

    def rasa_env(self) -> dict[str, str]:
        """Variables that `endpoints.yml` reads: the action server and the SQL tracker store."""
        url = make_url(self.sync_database_url)
        return {
            "WM_ACTION_ENDPOINT": self.action_endpoint,
            "WM_TRACKER_DIALECT": url.get_backend_name(),
            "WM_TRACKER_URL": url.render_as_string(hide_password=False),
            "WM_TRACKER_DB": url.database or "",
            **self.lock_store_env(),
        }

    def as_env(self) -> dict[str, str]:
        """These settings as WM_* variables, so child processes see exactly the same ones."""
        return {
            "WM_DATABASE_URL": self.database_url,
            "WM_RASA_HOST": self.rasa_host,
            "WM_RASA_PORT": str(self.rasa_port),
            "WM_RASA_API_TOKEN": self.rasa_api_token,
            "WM_RASA_CORS": self.rasa_cors,
            "WM_CHAT_PUBLIC_URL": self.chat_public_url,
            "WM_ACTIONS_HOST": self.actions_host,
            "WM_ACTIONS_PORT": str(self.actions_port),
            "WM_WEB_HOST": self.web_host,
            "WM_WEB_PORT": str(self.web_port),
            "WM_MODEL_DIR": str(self.model_dir),
            "WM_LOG_LEVEL": self.log_level,
            "WM_MAX_MESSAGE_CHARS": str(self.max_message_chars),
            "WM_REDIS_URL": self.redis_url,
            "WM_RASA_INSTANCES": str(self.rasa_instances),
            "WM_ACTIONS_INSTANCES": str(self.actions_instances),
            "WM_WEB_WORKERS": str(self.web_workers),
            "WM_SESSION_IDLE_MINUTES": str(self.session_idle_minutes),
            **{
                f"WM_{name.upper()}": str(getattr(self, name))
                for name in SMS_FIELDS
                + SAFETY_FIELDS
                + RETENTION_FIELDS
                + LIMIT_FIELDS
                + FHIR_FIELDS
                + DIRECTORY_FIELDS
                + OUTCOME_FIELDS
                + MAIL_FIELDS
            },
        }

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **changes)


SAFETY_FIELDS = ("emergency_housing_line", "reconcile_seconds", "spool_dir")
RETENTION_FIELDS = (
    "retain_abandoned_days",
    "retain_closed_days",
    "retain_transcript_days",
    "retain_sms_days",
    "retain_audit_days",
    "purge_hours",
)
LIMIT_FIELDS = ("rate_sender_per_minute", "rate_address_per_minute")
FHIR_FIELDS = (
    "fhir_endpoint",
    "fhir_token",
    "fhir_retry_base_seconds",
    "fhir_retry_max_seconds",
    "fhir_give_up_hours",
    "fhir_poll_seconds",
)
DIRECTORY_FIELDS = ("directory_sync_url", "directory_sync_token", "directory_sync_hours")
OUTCOME_FIELDS = ("followup_weeks", "followup_poll_seconds", "followup_link_days", "followup_reminder_days")
MAIL_FIELDS = (
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_username",
    "smtp_password",
    "mail_from",
    "mail_retry_base_seconds",
    "mail_retry_max_seconds",
    "mail_give_up_hours",
    "mail_poll_seconds",
)
SMS_FIELDS = (
    "sms_provider",
    "sms_public_url",
    "sms_hash_key",
    "sms_encryption_key",
    "sms_twilio_account_sid",
    "sms_twilio_auth_token",
    "sms_twilio_from",
    "sms_twilio_api_url",
    "sms_notify_api_key",
    "sms_notify_template_id",
    "sms_notify_inbound_token",
    "sms_notify_sender_id",
    "sms_notify_api_url",
    "sms_invite_url",
    "sms_team_name",
    "sms_poster_number",
    "sms_max_segments",
    "sms_retry_base_seconds",
    "sms_retry_max_seconds",
    "sms_give_up_hours",
    "sms_poll_seconds",
)
"""Settings of the SMS channel: each is read from WM_SMS_... (or SMS_...), typed like its default."""


def _anchor_sqlite(url: str) -> str:
    """A relative SQLite path means relative to the project, whatever the working directory."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not path.is_absolute():
            return parsed.set(database=str(PROJECT_ROOT / path)).render_as_string(hide_password=False)
    return url


def load_settings(env_file: Optional[Path] = None, environ: Optional[Mapping[str, str]] = None) -> Settings:
    """Read settings: real environment variables win over the `.env` file."""
    values: dict[str, str] = {}
    path = env_file or PROJECT_ROOT / ".env"
    if path.exists():
        values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    values.update(environ if environ is not None else os.environ)

    def get(name: str, default: object) -> str:
        return values.get(f"WM_{name}", values.get(name, str(default)))

    defaults = Settings()
    return Settings(
        database_url=_anchor_sqlite(get("DATABASE_URL", defaults.database_url)),
        rasa_host=get("RASA_HOST", defaults.rasa_host),
        rasa_port=int(get("RASA_PORT", defaults.rasa_port)),
        rasa_api_token=get("RASA_API_TOKEN", ""),
        rasa_cors=get("RASA_CORS", defaults.rasa_cors).strip(),
        chat_public_url=get("CHAT_PUBLIC_URL", defaults.chat_public_url).strip().rstrip("/"),
        actions_host=get("ACTIONS_HOST", defaults.actions_host),
        actions_port=int(get("ACTIONS_PORT", defaults.actions_port)),
        web_host=get("WEB_HOST", defaults.web_host),
        web_port=int(get("WEB_PORT", defaults.web_port)),
        model_dir=PROJECT_ROOT / get("MODEL_DIR", defaults.model_dir),
        log_level=get("LOG_LEVEL", defaults.log_level).upper(),
        max_message_chars=int(get("MAX_MESSAGE_CHARS", defaults.max_message_chars)),
        redis_url=get("REDIS_URL", ""),
        rasa_instances=max(1, int(get("RASA_INSTANCES", 1))),
        actions_instances=max(1, int(get("ACTIONS_INSTANCES", 1))),
        web_workers=max(1, int(get("WEB_WORKERS", 1))),
        session_idle_minutes=max(1, int(get("SESSION_IDLE_MINUTES", defaults.session_idle_minutes))),
        **{
            name: type(getattr(defaults, name))(get(name.upper(), getattr(defaults, name)))
            for name in SMS_FIELDS
            + SAFETY_FIELDS
            + RETENTION_FIELDS
            + LIMIT_FIELDS
            + FHIR_FIELDS
            + DIRECTORY_FIELDS
            + OUTCOME_FIELDS
            + MAIL_FIELDS
        },
    ).with_overrides(sms_provider=get("SMS_PROVIDER", "").strip().lower())

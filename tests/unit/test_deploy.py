"""The deployment files, read as Compose and Kubernetes read them: every process gets its database,
Redis and the public address browsers use, and the patient chat's CSP allows https/wss there."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.web.widget import content_security_policy, socket_url

COMPOSE = PROJECT_ROOT / "deploy" / "docker-compose.yml"
K8S = PROJECT_ROOT / "deploy" / "k8s" / "whatmatters.yaml"
APP_SERVICES = ("migrate", "actions", "rasa", "web")
NO_FILE = Path("/nonexistent/.env")


def _interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, with `variables` as the shell's."""

    def one(match: re.Match[str]) -> str:
        name, operator, fallback = match.group(1), match.group(2), match.group(3) or ""
        if name in variables and variables[name]:
            return variables[name]
        assert operator != ":?", f"{name} must be set: {fallback}"
        return fallback

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", one, str(value))


def _compose_settings(service: str) -> tuple[dict[str, str], Settings]:
    document = yaml.safe_load(COMPOSE.read_text())
    shell = {"POSTGRES_PASSWORD": "secret", "CHAT_PUBLIC_URL": "https://chat.example.org"}
    env = {k: _interpolate(v, shell) for k, v in document["services"][service]["environment"].items()}
    return env, load_settings(env_file=NO_FILE, environ=env)


def test_every_compose_process_gets_its_database_redis_and_public_address():
    for service in APP_SERVICES:
        env, settings = _compose_settings(service)
        assert settings.database_url.startswith("postgresql+asyncpg://whatmatters:secret@postgres"), service
        assert settings.redis_url == "redis://redis:6379/1", service
        assert settings.chat_public_url == "https://chat.example.org", service
    _, web = _compose_settings("web")
    assert web.web_host == "0.0.0.0", "nginx, in another container, must reach the web app"
    assert web.web_workers == 2


def _k8s_containers() -> list[tuple[str, dict[str, str]]]:
    documents = [d for d in yaml.safe_load_all(K8S.read_text()) if d]
    config = next(d for d in documents if d["kind"] == "ConfigMap")["data"]
    secret = {"WM_DATABASE_URL": "postgresql+asyncpg://u:p@db:5432/wm"}  # what the README's kubectl line creates
    found = []
    for document in documents:
        if document["kind"] not in ("Deployment", "Job"):
            continue
        for container in document["spec"]["template"]["spec"]["containers"]:
            sources = {next(iter(ref)) for ref in container.get("envFrom", [])}
            env = {**(config if "configMapRef" in sources else {}), **(secret if "secretRef" in sources else {})}
            found.append((document["metadata"]["name"], env))
    return found


def test_every_kubernetes_process_gets_its_database_redis_and_public_address():
    containers = _k8s_containers()
    assert len(containers) == 4, "migrations, actions, Rasa and the web app"
    for name, env in containers:
        settings = load_settings(env_file=NO_FILE, environ=env)
        assert settings.database_url.startswith("postgresql+asyncpg://"), name
        assert settings.redis_url.startswith("redis://"), name
        assert settings.chat_public_url.startswith("https://"), name


def test_browsers_are_given_the_public_address_never_a_bind_address():
    behind_a_proxy = Settings(rasa_host="0.0.0.0", chat_public_url="https://chat.example.org")
    assert socket_url(behind_a_proxy) == "https://chat.example.org"
    policy = content_security_policy(behind_a_proxy)
    assert "connect-src 'self' https://chat.example.org wss://chat.example.org" in policy
    assert "0.0.0.0" not in socket_url(Settings(rasa_host="0.0.0.0"))
    assert socket_url(Settings(rasa_host="127.0.0.1", rasa_port=5005)) == "http://127.0.0.1:5005"


def test_the_rasa_servers_and_the_web_app_share_the_spool_in_compose():
    """A disclosure spooled by a Rasa server must reach the reconciler in the web app."""
    document = yaml.safe_load(COMPOSE.read_text())
    spools = set()
    for service in ("rasa", "web"):
        _, settings = _compose_settings(service)
        mounts = {m.split(":", 1)[1]: m.split(":", 1)[0] for m in document["services"][service].get("volumes", [])}
        assert str(settings.spool_path) in mounts, f"{service} does not mount its spool directory"
        spools.add(mounts[str(settings.spool_path)])
    assert len(spools) == 1 and spools <= set(document["volumes"]), "one named volume, shared"

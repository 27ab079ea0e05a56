"""`python -m bot.web`: serve the web app on the configured host and port."""

from aiohttp import web

from bot.logs import configure_logging
from bot.settings import load_settings
from bot.web.app import create_app


def main() -> None:
    settings = load_settings()
    configure_logging(settings.log_level)
    web.run_app(
        create_app(settings),
        host=settings.web_host,
        port=settings.web_port,
        access_log=None,
        print=None,
        reuse_port=settings.web_workers > 1,
    )


if __name__ == "__main__":
    main()

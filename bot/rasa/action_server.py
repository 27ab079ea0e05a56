"""The action server, bound to the configured host (127.0.0.1 by default).

`rasa run actions` always listens on every interface; we build rasa_sdk's app
ourselves and run it where the settings say. Its default error handler echoes
the request (the whole conversation) back and logs it; ours says only what
failed.
"""

from __future__ import annotations

import logging
from typing import Optional

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response

from bot.intake import spelling
from bot.logs import configure_logging
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)


def build_app(package: str = "actions") -> Sanic:
    app = create_app(package, cors_origins=[])

    async def on_error(request, exception: Exception):
        logger.error("action failed: %s", type(exception).__name__)
        logger.debug("action failure detail", exc_info=exception)
        return response.json({"error": "The action failed. See the action server log."}, status=500)

    app.error_handler.add(Exception, on_error)
    spelling.known_words()  # read here, at start, rather than in the turn of the first answer it may put right
    return app


def main(settings: Optional[Settings] = None) -> None:
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    app = build_app()
    logger.info("action server on http://%s:%s", settings.actions_host, settings.actions_port)
    app.run(host=settings.actions_host, port=settings.actions_port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()

"""A small reverse proxy: one entry point in front of several Rasa or action-server instances.

Plain HTTP requests go round-robin. A socket.io client is kept on one instance
(its engine.io session lives there): websocket connections are relayed as
they are, and polling requests carry a cookie naming their instance. In a
real cluster a proper load balancer (nginx, a Kubernetes Service with session
affinity) does this job; this one lets the production profile run on one machine.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
from typing import AsyncIterator, Optional

import aiohttp
from aiohttp import web

from bot.keepalive import IDLE_CONNECTION_SECONDS
from bot.logs import configure_logging

logger = logging.getLogger(__name__)

STICKY_COOKIE = "wm_upstream"
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"}
upstreams_key = web.AppKey("upstreams", list)
session_key = web.AppKey("session", aiohttp.ClientSession)


class Upstreams:
    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        self._turn = itertools.cycle(range(len(urls)))

    def pick(self, request: web.Request) -> int:
        sticky = request.cookies.get(STICKY_COOKIE)
        if request.path.startswith("/socket.io") and sticky and sticky.isdigit() and int(sticky) < len(self.urls):
            return int(sticky)
        return next(self._turn)


async def _relay_websocket(request: web.Request, target: str) -> web.WebSocketResponse:
    client_ws = web.WebSocketResponse()
    await client_ws.prepare(request)
    async with request.app[session_key].ws_connect(target.replace("http", "ws", 1)) as upstream_ws:

        async def pump(source, sink) -> None:
            async for message in source:
                if message.type == aiohttp.WSMsgType.TEXT:
                    await sink.send_str(message.data)
                elif message.type == aiohttp.WSMsgType.BINARY:
                    await sink.send_bytes(message.data)
                else:
                    break

        await asyncio.wait(
            [asyncio.create_task(pump(client_ws, upstream_ws)), asyncio.create_task(pump(upstream_ws, client_ws))],
            return_when=asyncio.FIRST_COMPLETED,
        )
    await client_ws.close()
    return client_ws


async def forward(request: web.Request) -> web.StreamResponse:
    upstreams: Upstreams = request.app[upstreams_key][0]
    index = upstreams.pick(request)
    target = upstreams.urls[index] + request.path_qs
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return await _relay_websocket(request, target)
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
    body = await request.read()
    try:
        async with request.app[session_key].request(
            request.method, target, headers=headers, data=body, allow_redirects=False
        ) as reply:
            payload = await reply.read()
            response = web.Response(
                status=reply.status,
                body=payload,
                headers={k: v for k, v in reply.headers.items() if k.lower() not in HOP_HEADERS},
            )
    except aiohttp.ClientError as error:
        logger.warning("upstream %s unreachable: %s", upstreams.urls[index], type(error).__name__)
        return web.json_response({"error": "The service is starting or unavailable. Please try again."}, status=503)
    if request.path.startswith("/socket.io"):
        response.set_cookie(STICKY_COOKIE, str(index), httponly=True, samesite="Lax")
    return response


async def _client_session(app: web.Application) -> AsyncIterator[None]:
    """One HTTP client for all forwarded requests, closed when the proxy stops; it drops idle connections
    before the upstream servers do (bot/keepalive.py)."""
    connector = aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_SECONDS)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120), connector=connector) as session:
        app[session_key] = session
        yield


def create_app(upstream_urls: list[str]) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app[upstreams_key] = [Upstreams(upstream_urls)]
    app.cleanup_ctx.append(_client_session)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", action="append", required=True, help="http://host:port, repeated")
    args = parser.parse_args(argv)
    configure_logging()
    web.run_app(create_app(args.upstream), host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()

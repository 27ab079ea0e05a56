"""How long our HTTP clients keep an idle connection to one of our Sanic servers for the next request.

Rasa and the action server run on Sanic, which closes a connection idle for 5 seconds
(`KEEP_ALIVE_TIMEOUT`). A client that reuses a connection at the moment the server closes it
loses that request (the server never reads it), so an action call or a forwarded turn would fail.
A client that drops its idle connections well before the server does never meets that moment.
Used by Rasa's action-call client (`bot/rasa/patches.py`) and by the proxy (`bot/proxy.py`).
"""

IDLE_CONNECTION_SECONDS = 2.0

"""Request size limits checked before routing: URL length and body size.

Parameter limits (page sizes, query lengths, compare lists) are declared on the
routes and answered with 422. What those declarations cannot see is the raw
request: a URL of megabytes of unknown parameters, or a body the server would
buffer whole before validating it. This ASGI middleware refuses both early:
414 for a URL longer than :data:`MAX_URL_BYTES`, 413 for a body longer than
:data:`MAX_BODY_BYTES` (announced by ``Content-Length`` or found while reading).
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MAX_BODY_BYTES", "MAX_URL_BYTES", "RequestLimits"]

MAX_URL_BYTES = 8192
"""Longest path + query string accepted (browsers and proxies commonly allow about this)."""
MAX_BODY_BYTES = 5_000_000
"""Largest request body: the biggest valid ``/api/predict`` (50 texts of 20,000 characters,
UTF-8) fits with room to spare."""


class RequestLimits:
    """ASGI middleware refusing over-long URLs (414) and over-large bodies (413).

    Example
    -------
    >>> from fastapi import FastAPI
    >>> app = FastAPI()
    >>> app.add_middleware(RequestLimits, max_url=MAX_URL_BYTES, max_body=MAX_BODY_BYTES)
    """

    def __init__(self, app: ASGIApp, *, max_url: int, max_body: int) -> None:
        self.app = app
        self.max_url = max_url
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
        if url > self.max_url:
            await _refuse(send, 414, f"the URL is {url} bytes long; at most {self.max_url}")
            return
        length = _content_length(scope)
        if length is not None and length > self.max_body:
            await _refuse(send, 413, f"the body is {length} bytes; at most {self.max_body}")
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        """``receive`` that stops a body sent without a length once it grows too large."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    # FastAPI passes an HTTPException raised while reading the body on to
                    # the app's error handler, which answers 413 in the usual JSON form.
                    raise HTTPException(
                        413, f"the body is over {self.max_body} bytes; at most {self.max_body}"
                    )
            return message

        return counted


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"status": status, "message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

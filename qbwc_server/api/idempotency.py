"""``Idempotency-Key`` on POSTs: the same key and body again replays the first answer.

A key belongs to one API key. The first request reserves the key (a row with status 0)
before it runs, so a second request with the same key while the first still runs gets 409
instead of running twice. Only successful (2xx) answers are kept, for
``idempotency_keep_hours`` (24 by default; the worker deletes them after that); an error
frees the key so a corrected retry can use it. Secrets in an answer (a new Web Connector
password) are never stored: a replay carries ``null`` in their place.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Response, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from qbwc_server.api.http import api_key, load_json, services
from qbwc_server.api.problems import Problem
from qbwc_server.api.validation import bad_text
from qbwc_server.errors import StoreError
from qbwc_server.store.limits import fit, max_length
from qbwc_server.store.models import IdempotencyKey

HEADER = "Idempotency-Key"
#: A reservation older than this belongs to a request that died; the key is free again.
ABANDONED_AFTER = timedelta(minutes=5)
IN_FLIGHT = 0

View = Callable[..., Response]
Redact = Callable[[dict[str, Any]], dict[str, Any]]


def idempotent(redact: Redact | None = None) -> Callable[[View], View]:
    """Decorate a POST view so that ``Idempotency-Key`` is honoured."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def run(**kwargs: Any) -> Response:
            key = request.headers.get(HEADER)
            if key is None:
                return view(**kwargs)
            _check_key(key)
            reserved = _reserve(key, _digest())
            if isinstance(reserved, Response):
                return reserved
            try:
                response = view(**kwargs)
            except BaseException:
                _release(reserved)
                raise
            if 200 <= response.status_code < 300:
                _keep(reserved, response, redact)
            else:
                _release(reserved)
            return response

        return run

    return decorate


def _check_key(key: str) -> None:
    longest = max_length(IdempotencyKey.key)
    if not key:
        reason: str | None = "is empty"
    elif len(key) > longest:
        reason = f"is longer than {longest} characters"
    else:
        reason = bad_text(key)
    if reason is not None:
        raise Problem("invalid-request", f"{HEADER} {reason}",
                      errors=[{"field": HEADER, "message": f"1-{longest} characters, no "
                               "control characters"}])


def _digest() -> str:
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(load_json(raw), sort_keys=True, separators=(",", ":")) if raw else ""
    except Problem:  # not JSON, or too deep: the view refuses it after the reservation
        body = raw.decode("utf-8", "replace")
    text = f"{request.method}\n{request.path}\n{body}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reserve(key: str, digest: str) -> int | Response:
    """The id of a fresh reservation, or the stored answer to replay."""
    db, now = services().db, services().clock.now()
    keep_for = timedelta(hours=services().settings.idempotency_keep_hours)
    owner = api_key().id
    for _ in range(2):
        try:
            with db.transaction() as session:
                row = session.scalar(select(IdempotencyKey).where(
                    IdempotencyKey.api_key_id == owner, IdempotencyKey.key == key))
                if row is not None and (now - row.created_at >= keep_for or (
                        row.response_status == IN_FLIGHT
                        and now - row.created_at >= ABANDONED_AFTER)):
                    session.delete(row)
                    session.flush()
                    row = None
                if row is None:
                    row = IdempotencyKey(api_key_id=owner, key=key, method=request.method,
                                         path=fit(request.path, IdempotencyKey.path),
                                         request_digest=digest,
                                         response_status=IN_FLIGHT, response_body="",
                                         created_at=now)
                    session.add(row)
                    session.flush()
                    return row.id
                if row.response_status == IN_FLIGHT:
                    raise Problem("idempotency-key-in-use", f"A request with {HEADER} "
                                  f"{key!r} is still running; try again shortly.")
                if row.request_digest != digest:
                    raise Problem("idempotency-key-reused", f"{HEADER} {key!r} was used for "
                                  f"another request ({row.method} {row.path} with a different "
                                  "body); use a new key for a new request.")
                return Response(row.response_body, status=row.response_status,
                                mimetype="application/json",
                                headers={"Idempotent-Replayed": "true"})
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            # Another request reserved the same key between our look and our insert.
    raise Problem("idempotency-key-in-use", f"A request with {HEADER} {key!r} is still "
                  "running; try again shortly.")


def _keep(reservation: int, response: Response, redact: Redact | None) -> None:
    body = response.get_data(as_text=True)
    if redact is not None:
        body = json.dumps(redact(json.loads(body)))
    with services().db.transaction() as session:
        row = session.get(IdempotencyKey, reservation)
        if row is not None:
            row.response_status, row.response_body = response.status_code, body


def _release(reservation: int) -> None:
    with services().db.transaction() as session:
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == reservation))

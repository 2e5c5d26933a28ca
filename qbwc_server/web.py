"""HTTP routes: the SOAP endpoint, its WSDL, health, the AppSupport page, admin .qwc download.

The admin console and the partner pages live in :mod:`qbwc_server.pages`.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, request, url_for
from sqlalchemy import text
from werkzeug.wrappers import Response as WerkzeugResponse

from qbwc_server.errors import NotFoundError, StoreError
from qbwc_server.qwc import SOAP_PATH, qwc_download_header
from qbwc_server.wsdl import render_wsdl

blueprint = Blueprint("qbwc", __name__)


def _services():  # type: ignore[no-untyped-def]
    from qbwc_server.app import services_of

    return services_of(current_app)  # type: ignore[arg-type]


@blueprint.post(SOAP_PATH)
def soap() -> Response:
    endpoint = _services().soap
    if request.content_length is not None and request.content_length > endpoint.max_body_bytes:
        status, headers, body = endpoint.too_large()  # refused unread
    else:
        # Read a chunk at a time by the pre-parse, which counts the bytes of a chunked body.
        status, headers, body = endpoint.handle(request.environ, request.stream)
    return Response(body, status=status, headers=headers)


@blueprint.get(SOAP_PATH)
def wsdl() -> Response:
    if "wsdl" not in {key.lower() for key in request.args}:
        return Response(
            "QuickBooks Web Connector endpoint. POST SOAP here; the WSDL is at ?wsdl.\n",
            mimetype="text/plain",
        )
    location = _services().settings.public_base_url.rstrip("/") + SOAP_PATH
    return Response(render_wsdl(location), mimetype="text/xml")


@blueprint.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    try:
        with _services().db.transaction() as session:
            session.execute(text("SELECT 1"))
    except StoreError:
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


@blueprint.get("/support")
def support() -> Response:
    # The Web Connector fetches AppSupport when a .qwc is added and needs HTTP 200 (QBWC1003/4).
    return Response(
        "<!doctype html><title>qbwc-server support</title>"
        "<h1>qbwc-server</h1><p>This server keeps your QuickBooks company in sync. "
        "If the Web Connector reports an error, send its log (QWCLog.txt, set to VERBOSE) "
        "to your platform's support team.</p>",
        mimetype="text/html",
    )


@blueprint.get("/")
def index() -> Response:
    return Response(
        "<!doctype html><title>qbwc-server</title><h1>qbwc-server is running</h1>"
        f'<p>Web Connector endpoint: <code>{SOAP_PATH}</code> '
        f'(<a href="{SOAP_PATH}?wsdl">WSDL</a>). Health: <a href="/healthz">/healthz</a>.</p>',
        mimetype="text/html",
    )


@blueprint.get("/admin/companies/<name>/qwc")
def admin_qwc(name: str) -> Response | WerkzeugResponse:
    from qbwc_server.pages.auth import current_user

    user = current_user()
    if user is None or not user.is_admin:
        if user is not None:
            return Response("This download is for admins.\n", status=403, mimetype="text/plain")
        return redirect(url_for("auth.admin_signin", next=request.path))
    services = _services()
    try:
        body = services.companies.qwc(name)
    except NotFoundError:
        return Response(f"No company named {name!r}.\n", status=404, mimetype="text/plain")
    return Response(
        body,
        mimetype="application/xml",
        headers={"Content-Disposition": qwc_download_header(name),
                 "Cache-Control": "no-store"},
    )

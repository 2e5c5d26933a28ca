"""Sign-in, sign-out and invites, and who is signed in.

The session cookie (Flask's signed cookie, HttpOnly, SameSite=Lax, Secure behind https)
holds a session id and the CSRF token; the session itself lives in the store
(:mod:`qbwc_server.store.web_sessions`). Every request looks the session and its user up, so
signing out, a new password, a removed user or "sign out everywhere" ends it at once, copies
of the cookie included. Signing in clears the old session first (no fixation) and gets a new
CSRF token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import attrs
from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from qbwc_server.errors import ConflictError, InvalidInputError, NotFoundError
from qbwc_server.pages import csrf
from qbwc_server.pages.context import partners, services
from qbwc_server.pages.partners import check_new_password, normalize_email
from qbwc_server.store import web_sessions
from qbwc_server.store.models import AdminUser
from qbwc_server.store.web_sessions import ADMIN, PARTNER

blueprint = csrf.protect(Blueprint("auth", __name__))
_SESSION_ID = "sid"
_PLAIN_PATH = re.compile(r"/[!-\[\]-~]*")  # "/", then printable ASCII but the backslash
F = TypeVar("F", bound=Callable[..., Any])


@attrs.frozen(kw_only=True)
class User:
    role: str
    id: int
    name: str  # admin user name or partner email
    company: str | None = None  # a partner's one company

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def current_user() -> User | None:
    if "user" not in g:
        g.user = _load_user()
    user: User | None = g.user
    return user


def _load_user() -> User | None:
    token = session.get(_SESSION_ID)
    if not isinstance(token, str):
        return None
    with services().db.transaction() as db_session:
        found = web_sessions.find(db_session, token, services().clock.now())
        if found is None:
            return None
        role, user_id = found
        if role == ADMIN:
            row = db_session.get(AdminUser, user_id)
            return None if row is None else User(role=ADMIN, id=row.id, name=row.username)
    partner = partners().get(user_id) if role == PARTNER else None
    if partner is None:
        return None
    return User(role=PARTNER, id=partner.id, name=partner.email, company=partner.company)


def _sign_in(role: str, user_id: int) -> None:
    session.clear()
    session.permanent = True
    with services().db.transaction() as db_session:
        session[_SESSION_ID] = web_sessions.start(db_session, role, user_id,
                                                  services().clock.now())
    csrf.rotate()
    g.pop("user", None)


def _sign_out() -> None:
    session.clear()
    csrf.rotate()
    g.pop("user", None)


def admin_required(view: F) -> F:
    """Admins only: others are sent to sign in; partners get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return redirect(url_for("auth.admin_signin", next=request.full_path.rstrip("?")))
        if not user.is_admin:
            abort(403, description="This page is for admins.")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def safe_next(value: str | None, default: str) -> str:
    """``value`` if it is a path on this site, else ``default``.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    "/<tab>/evil" or "/<backslash>evil" would take the user to the site ``evil``; a newline
    would also break the Location header. So only "/" followed by printable ASCII without
    backslashes passes (our own links are percent-encoded), and never "//", which names a
    host. A path that starts with one "/" can carry no scheme and no host.
    """
    if not value or not _PLAIN_PATH.fullmatch(value) or value.startswith("//"):
        return default
    return value


def home_of(user: User) -> str:
    if user.is_admin:
        return url_for("admin.companies")
    return url_for("partner.settings", name=user.company)


@blueprint.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    """Partners sign in with their email and password."""
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        partner = partners().check(email, request.form.get("password", ""),
                                   client=request.remote_addr)
        if partner is not None:
            _sign_in(PARTNER, partner.id)
            return redirect(safe_next(request.args.get("next"),
                                      url_for("partner.settings", name=partner.company)))
        error = "Wrong email or password (or too many tries: wait a few minutes)."
    return render_template("signin.html", role=PARTNER, error=error, login=email), (
        401 if error else 200)


@blueprint.route("/admin/signin", methods=["GET", "POST"])
def admin_signin() -> Any:
    """Admins (``qbwc-server admin add NAME``) sign in with their user name and password."""
    error = None
    username = request.form.get("username", "").strip()
    if request.method == "POST":
        user_id = services().admins.check(username, request.form.get("password", ""),
                                          client=request.remote_addr)
        if user_id is not None:
            _sign_in(ADMIN, user_id)
            return redirect(safe_next(request.args.get("next"), url_for("admin.companies")))
        error = "Wrong user name or password (or too many tries: wait a few minutes)."
    return render_template("signin.html", role=ADMIN, error=error, login=username), (
        401 if error else 200)


@blueprint.post("/signout")
def signout() -> Response:
    """End this browser's session, in the store too: a copy of the cookie opens nothing."""
    was_admin = (user := current_user()) is not None and user.is_admin
    token = session.get(_SESSION_ID)
    if isinstance(token, str):
        with services().db.transaction() as db_session:
            web_sessions.end(db_session, token)
    _sign_out()
    return redirect(url_for("auth.admin_signin" if was_admin else "auth.signin"))


@blueprint.post("/signout-everywhere")
def signout_everywhere() -> Response:
    """End every session of the signed-in user, on every browser."""
    user = current_user()
    if user is not None:
        with services().db.transaction() as db_session:
            web_sessions.end_all(db_session, user.role, user.id)
    _sign_out()
    return redirect(url_for("auth.admin_signin" if user and user.is_admin else "auth.signin"))


@blueprint.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str) -> Any:
    """A partner's one-time link: choose a password, then straight to the settings page."""
    service = partners()
    try:
        invite_view = service.open_invite(token)
    except NotFoundError as exc:
        return render_template("invite.html", invalid=str(exc), invite=None, errors={},
                               email=""), 404
    errors: dict[str, str] = {}
    email = request.form.get("email", invite_view.email or "")
    if request.method == "POST":
        password, confirm = request.form.get("password", ""), request.form.get("confirm", "")
        errors = _invite_errors(email, password, confirm)
        if not errors:
            try:
                partner = service.accept(token, email, password, confirm)
            except (InvalidInputError, ConflictError) as exc:
                errors["email"] = str(exc)
            except NotFoundError as exc:
                return render_template("invite.html", invalid=str(exc), invite=None, errors={},
                                       email=""), 404
            else:
                _sign_in(PARTNER, partner.id)
                return redirect(url_for("partner.settings", name=partner.company))
    return render_template("invite.html", invalid=None, invite=invite_view, errors=errors,
                           email=email), (400 if errors else 200)


def _invite_errors(email: str, password: str, confirm: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    try:
        normalize_email(email)
    except InvalidInputError as exc:
        errors["email"] = str(exc)
    try:
        check_new_password(password, confirm)
    except InvalidInputError as exc:
        errors["password"] = str(exc)
    return errors

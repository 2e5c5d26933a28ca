"""The ``qbwc-server`` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import attrs
import click

from qbwc_server.config import Settings, load_settings
from qbwc_server.errors import QbwcError
from qbwc_server.simulator.command import simulate
from qbwc_server.timeformat import json_default, readable

DEMO_COMPANY = "Demo Company"
DEMO_ADMIN = "admin"


class _Context:
    def __init__(self, config: Path | None) -> None:
        self._config = config
        self._settings: Settings | None = None
        self._services: Any = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(config_file=self._config)
        return self._settings

    @property
    def services(self) -> Any:
        if self._services is None:
            from qbwc_server.app import build_services

            self._services = build_services(self.settings)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.db.engine.dispose()


pass_ctx = click.make_pass_decorator(_Context)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=json_default))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="QBWC_CONFIG",
    help="Instance config file (TOML). Default: ./var/qbwc.toml if it exists.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
@click.pass_context
def cli(ctx: click.Context, config: Path | None, verbose: bool) -> None:
    """qbwc-server: keeps a business platform and QuickBooks in sync.

    Settings come from code defaults, then the config file, then QBWC_* environment
    variables (for example QBWC_DATABASE_URL, QBWC_PUBLIC_BASE_URL).
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = _Context(config)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@click.option("--host", default="localhost", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="TCP port.")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
@click.option("--webhooks/--no-webhooks", default=True, show_default=True,
              help="Deliver webhooks from a background thread.")
@pass_ctx
def serve(obj: _Context, host: str, port: int, threads: int, webhooks: bool) -> None:
    """Serve the Web Connector endpoint, health check and web pages.

    Background threads deliver webhooks and, once an hour, prune old rows (`prune`)."""
    from qbwc_server.app import create_app, services_of
    from qbwc_server.retention import PruneWorker, Retention
    from qbwc_server.serving import make_server
    from qbwc_server.webhooks import WebhookWorker

    logging.getLogger("qbwc_server").setLevel(logging.INFO)
    app = create_app(obj.settings)
    services = services_of(app)
    server = make_server(app, host, port, threads)
    workers = [PruneWorker(services.db, services.clock, Retention.from_settings(obj.settings))]
    if webhooks:
        workers.append(WebhookWorker(services.webhooks))
    click.echo(f"qbwc-server listening on http://{host}:{port}  (SOAP endpoint /qbwc)")
    for worker in workers:
        worker.start()
    try:
        server.run()
    finally:
        for worker in workers:
            worker.stop()
        services.db.engine.dispose()


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_ctx
def db_upgrade(obj: _Context) -> None:
    """Create or migrate the database schema to the newest version."""
    from qbwc_server.store.database import sqlite_path, table_count, upgrade

    engine = obj.services.db.engine
    where = engine.url.render_as_string()  # the password hidden
    path = sqlite_path(engine)
    new_file = path is not None and path.stat().st_size == 0
    before, after = upgrade(engine)
    if before is None:
        made = f"the SQLite file {path}{_who_reads(path)} with " if new_file else ""
        click.echo(f"Created {made}the database schema: {table_count(engine)} tables at "
                   f"revision {after} ({where}).")
    elif before != after:
        click.echo(f"Upgraded the database schema from revision {before} to {after} ({where}).")
    else:
        click.echo(f"The database schema is up to date at revision {after} ({where}).")


def _who_reads(path: Path | None) -> str:
    private = path is not None and path.stat().st_mode & 0o077 == 0
    return " (readable by its owner only)" if private else ""


@cli.group()
def company() -> None:
    """Companies (one per QuickBooks company file)."""


@company.command("add")
@click.argument("name")
@click.option("--cadence", type=int, help="Sync every N minutes (default 5).")
@click.option("--company-file", default="", help="Path of the .QBW file QBWC should open.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def company_add(
    obj: _Context, name: str, cadence: int | None, company_file: str, as_json: bool
) -> None:
    """Create a company and print its Web Connector user name and password (shown once)."""
    view, password = obj.services.companies.add(
        name, cadence_minutes=cadence, company_file_path=company_file
    )
    if as_json:
        _echo_json({"name": view.name, "username": view.username, "password": password,
                    "file_id": view.file_id, "cadence_minutes": view.cadence_minutes})
        return
    click.echo(f"Company:   {view.name}")
    click.echo(f"User name: {view.username}")
    click.echo(f"Password:  {password}")
    click.echo("The password is shown only now; rotate it with "
               f"`qbwc-server company password {_quote(name)} --rotate`.")
    click.echo(f"Get the .qwc file with `qbwc-server company qwc {_quote(name)} > company.qwc`.")


@company.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def company_list(obj: _Context, as_json: bool) -> None:
    """List companies with their status."""
    views = obj.services.companies.list()
    if as_json:
        _echo_json([
            {"name": v.name, "username": v.username, "status": v.status,
             "cadence_minutes": v.cadence_minutes, "queued": v.queued,
             "last_contact_at": v.last_contact_at, "last_sync_at": v.last_sync_at,
             "last_error": v.last_error, "quickbooks": v.qb_product_name,
             "qbxml_versions": list(v.qb_versions)}
            for v in views
        ])
        return
    if not views:
        click.echo("No companies yet. Add one with `qbwc-server company add NAME`.")
    for v in views:
        line = (f"{v.name:30} {v.username:24} {v.status:8} queued={v.queued} "
                f"last sync {readable(v.last_sync_at)}")
        click.echo(line + (f"  error: {v.last_error}" if v.status == "error" else ""))


@company.command("qwc")
@click.argument("name")
@pass_ctx
def company_qwc(obj: _Context, name: str) -> None:
    """Print the company's .qwc file (add it to the Web Connector)."""
    click.echo(obj.services.companies.qwc(name), nl=False)


@company.command("password")
@click.argument("name")
@click.option("--rotate", is_flag=True, required=True, help="Generate a new password.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def company_password(obj: _Context, name: str, rotate: bool, as_json: bool) -> None:
    """Give the company a new Web Connector password (the old one stops working)."""
    password = obj.services.companies.rotate_password(name)
    if as_json:
        _echo_json({"name": name, "password": password})
    else:
        click.echo(f"New password for {name}: {password}")
        click.echo("Type it into the Web Connector; it is shown only now.")


@company.command("ping")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def company_ping(obj: _Context, name: str, as_json: bool) -> None:
    """Queue a CompanyQuery for the company's next Web Connector session."""
    item = obj.services.companies.ping(name)
    if as_json:
        _echo_json({"id": item.id, "purpose": item.purpose, "request_id": item.request_id,
                    "state": item.state})
    else:
        click.echo(f"Queued CompanyQuery (item {item.id}) for {name}; "
                   "it runs at the next Web Connector update.")


@company.command("sync-now")
@click.argument("name")
@pass_ctx
def company_sync_now(obj: _Context, name: str) -> None:
    """Make the company's next Web Connector update start a session."""
    obj.services.companies.request_sync(name)
    click.echo(f"{name} will sync at the next Web Connector update.")


@cli.group()
def admin() -> None:
    """Admin users of the web app."""


@admin.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_ctx
def admin_add(obj: _Context, username: str, password_stdin: bool) -> None:
    """Create an admin user (a password is generated unless given on stdin)."""
    given = sys.stdin.readline().rstrip("\n") if password_stdin else None
    password = obj.services.admins.add(username, given)
    if given is None:
        click.echo(f"Admin {username} created. Password (shown only now): {password}")
    else:
        click.echo(f"Admin {username} created.")


@cli.group()
def partner() -> None:
    """Partner sign-ins for the settings page (one company each)."""


def _partners(obj: _Context) -> Any:
    from qbwc_server.pages.partners import PartnerService

    services = obj.services
    return PartnerService(services.db, services.settings, services.clock)


@partner.command("invite")
@click.argument("company")
@click.option("--email", help="Only this email may use the link.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def partner_invite(obj: _Context, company: str, email: str | None, as_json: bool) -> None:
    """Print a one-time invite link (valid 7 days) for COMPANY's settings page."""
    service = _partners(obj)
    invite, token = service.invite(company, email)
    link = service.invite_link(token)
    if as_json:
        _echo_json({"company": invite.company, "email": invite.email, "link": link,
                    "expires_at": invite.expires_at})
        return
    click.echo(f"Invite link for {invite.company} (works once, until "
               f"{readable(invite.expires_at)}; shown only now):")
    click.echo(link)


@partner.command("add")
@click.argument("company")
@click.argument("email")
@pass_ctx
def partner_add(obj: _Context, company: str, email: str) -> None:
    """Create a partner sign-in for COMPANY with a generated password (shown once)."""
    view, password = _partners(obj).add(company, email)
    click.echo(f"Partner {view.email} can sign in to {view.company}. "
               f"Password (shown only now): {password}")


@cli.command()
@click.option("--config-file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("var") / "qbwc.toml", show_default=True)
def init(config_file: Path) -> None:
    """Write an instance config file with a fresh secret key, unless it exists."""
    import secrets as _secrets

    if config_file.exists():
        click.echo(f"{config_file} exists; left as it is.")
        return
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(
        "# qbwc-server instance settings (see docs/configuration.md)\n"
        f'secret_key = "{_secrets.token_urlsafe(48)}"\n',
        encoding="utf-8",
    )
    config_file.chmod(0o600)
    click.echo(f"wrote {config_file} with a new secret key")


@cli.command()
@click.option("--host", default="localhost", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@pass_ctx
def demo(obj: _Context, host: str, port: int) -> None:
    """Prepare the demo company and admin for `make run`, with fresh passwords."""
    from qbwc_server.errors import NotFoundError

    companies = obj.services.companies
    try:
        companies.get(DEMO_COMPANY)
        password = companies.rotate_password(DEMO_COMPANY)
    except NotFoundError:
        _, password = companies.add(DEMO_COMPANY)
    view = companies.get(DEMO_COMPANY)
    admin_password = obj.services.admins.set_password(DEMO_ADMIN)
    base = f"http://{host}:{port}"
    slug = DEMO_COMPANY.replace(" ", "%20")
    click.echo("")
    click.echo("Demo company ready (passwords are new on every `make run`):")
    click.echo(f"  Web Connector user name: {view.username}")
    click.echo(f"  Web Connector password:  {password}")
    click.echo(f"  Admin console: {base}/admin/ "
               f"(user '{DEMO_ADMIN}', password {admin_password})")
    click.echo(f"  .qwc file: {base}/admin/companies/{slug}/qwc (signed in as admin)")
    click.echo(f"         or: .venv/bin/qbwc-server company qwc '{DEMO_COMPANY}' > demo.qwc")
    click.echo("")


@cli.group()
def webhooks() -> None:
    """Webhook endpoints: signed POSTs of every change-feed entry (docs/webhooks.md)."""


def _endpoint_json(view: Any) -> dict[str, Any]:
    return {"id": view.id, "company": view.company, "url": view.url,
            "description": view.description, "is_active": view.is_active,
            "created_at": view.created_at}


@webhooks.command("add")
@click.argument("url")
@click.option("--company", help="Only this company's changes (default: every company).")
@click.option("--description", help="A note for admins.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def webhooks_add(obj: _Context, url: str, company: str | None, description: str | None,
                 as_json: bool) -> None:
    """Add an endpoint and print its signing secret (shown once)."""
    view, secret = obj.services.webhooks.add_endpoint(company, url, description)
    if as_json:
        _echo_json({**_endpoint_json(view), "secret": secret})
        return
    click.echo(f"Endpoint {view.id}: {view.url} ({view.company or 'every company'})")
    click.echo(f"Signing secret: {secret}")
    click.echo("The secret is shown only now; rotate it with "
               f"`qbwc-server webhooks rotate {view.id}`.")


@webhooks.command("list")
@click.option("--company", help="Only this company's own endpoints.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def webhooks_list(obj: _Context, company: str | None, as_json: bool) -> None:
    """List webhook endpoints."""
    views = obj.services.webhooks.endpoints(company)
    if as_json:
        _echo_json([_endpoint_json(v) for v in views])
        return
    if not views:
        click.echo("No webhook endpoints. Add one with `qbwc-server webhooks add URL`.")
    for v in views:
        note = f"  ({v.description})" if v.description else ""
        click.echo(f"{v.id:5} {v.company or '*':30} {v.url}{note}")


@webhooks.command("remove")
@click.argument("endpoint_id", type=int)
@pass_ctx
def webhooks_remove(obj: _Context, endpoint_id: int) -> None:
    """Remove an endpoint and its delivery log."""
    obj.services.webhooks.remove_endpoint(endpoint_id)
    click.echo(f"Endpoint {endpoint_id} removed.")


@webhooks.command("rotate")
@click.argument("endpoint_id", type=int)
@pass_ctx
def webhooks_rotate(obj: _Context, endpoint_id: int) -> None:
    """Give an endpoint a new signing secret (shown once; the old one stops at once)."""
    secret = obj.services.webhooks.rotate_secret(endpoint_id)
    click.echo(f"New signing secret for endpoint {endpoint_id}: {secret}")


@webhooks.command("deliver")
@click.option("--max", "max_items", default=100, show_default=True, type=int,
              help="At most this many attempts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def webhooks_deliver(obj: _Context, max_items: int, as_json: bool) -> None:
    """Run one bounded delivery pass (for cron, or when serve runs with --no-webhooks)."""
    attempted = obj.services.webhooks.deliver_due(max_items=max_items)
    if as_json:
        _echo_json({"attempted": attempted})
    else:
        click.echo(f"{attempted} delivery attempt(s).")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def prune(obj: _Context, as_json: bool) -> None:
    """Delete old Idempotency-Key answers, webhook deliveries and Web Connector sessions.

    `serve` does this once an hour; the retention settings are in docs/configuration.md.
    """
    from qbwc_server.retention import Retention
    from qbwc_server.retention import prune as prune_rows

    services = obj.services
    pruned = prune_rows(services.db, services.clock.now(), Retention.from_settings(obj.settings))
    if as_json:
        _echo_json(attrs.asdict(pruned))
        return
    click.echo(f"Deleted {pruned.idempotency_keys} Idempotency-Key answer(s), "
               f"{pruned.webhook_deliveries} webhook deliveries, {pruned.sessions} Web "
               f"Connector session(s) and {pruned.requests} finished request(s).")


@cli.group()
def apikey() -> None:
    """API keys for the platform REST API (/api/v1/)."""


def _api_keys(obj: _Context) -> Any:
    from qbwc_server.api import ApiKeyService

    return ApiKeyService(obj.services.db, obj.services.clock)


def _key_json(view: Any) -> dict[str, Any]:
    return {"prefix": view.prefix, "name": view.name, "company": view.company,
            "created_at": view.created_at, "last_used_at": view.last_used_at,
            "revoked_at": view.revoked_at}


@apikey.command("add")
@click.argument("name")
@click.option("--company", help="Limit the key to this company (default: every company).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--key-only", is_flag=True,
              help="Print only the key, for KEY=$(qbwc-server apikey add NAME --key-only).")
@pass_ctx
def apikey_add(obj: _Context, name: str, company: str | None, as_json: bool,
               key_only: bool) -> None:
    """Create an API key and print it (shown only now; only a digest is stored)."""
    if as_json and key_only:
        raise click.UsageError("give --json or --key-only, not both")
    view, key = _api_keys(obj).add(name, company=company)
    if as_json:
        _echo_json({**_key_json(view), "key": key})
        return
    if key_only:
        click.echo(key)
        return
    click.echo(f"API key {view.name} ({view.company or 'all companies'}): {key}")
    click.echo("The key is shown only now. Send it as `Authorization: Bearer <key>`.")


@apikey.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def apikey_list(obj: _Context, as_json: bool) -> None:
    """List API keys (prefixes only, never the keys)."""
    views = _api_keys(obj).list()
    if as_json:
        _echo_json([_key_json(view) for view in views])
        return
    if not views:
        click.echo("No API keys yet. Add one with `qbwc-server apikey add NAME`.")
    for v in views:
        state = "revoked" if v.revoked_at else "active"
        click.echo(f"{v.prefix}  {v.name:24} {v.company or '(all companies)':24} {state:8} "
                   f"last used {readable(v.last_used_at)}")


@apikey.command("revoke")
@click.argument("prefix")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def apikey_revoke(obj: _Context, prefix: str, as_json: bool) -> None:
    """Revoke the API key with this prefix (the 8 characters after qbwc_); it stops at once."""
    view = _api_keys(obj).revoke(prefix)
    if as_json:
        _echo_json(_key_json(view))
    else:
        click.echo(f"API key {view.prefix} ({view.name}) is revoked.")


cli.add_command(simulate)


def _quote(name: str) -> str:
    return f"'{name}'" if " " in name else name


def main() -> None:
    """Console entry point: errors become one clear line and exit status 1."""
    try:
        # Outside standalone mode click hands back ``ctx.exit(code)`` as the return value
        # instead of exiting; a command's own return value (always None) means success.
        outcome = cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        sys.exit(1)
    except QbwcError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    sys.exit(outcome if isinstance(outcome, int) else 0)


if __name__ == "__main__":
    main()

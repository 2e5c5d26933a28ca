"""The .qwc file: well-formed, complete, escaped, and refused for URLs QBWC refuses."""

from __future__ import annotations

import base64
import re
from typing import Any

import attrs
import pytest
from lxml import etree

from qbwc_server.app import Services
from qbwc_server.config import load_settings
from qbwc_server.errors import ConfigError
from qbwc_server.qwc import render_qwc

REQUIRED = ["AppName", "AppID", "AppURL", "AppDescription", "AppSupport", "UserName",
            "OwnerID", "FileID", "QBType"]
GUID = r"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$"


def _parse(text: str) -> dict[str, str]:
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == "QBWCXML"
    values = {child.tag: child.text or "" for child in root}
    values["RunEveryNMinutes"] = root.findtext("Scheduler/RunEveryNMinutes") or ""
    return values


def test_qwc_carries_every_required_element(services: Services) -> None:
    services.companies.add("Acme", cadence_minutes=7)
    qwc = _parse(services.companies.qwc("Acme"))
    assert all(name in qwc for name in REQUIRED)
    assert qwc["AppName"] == "qbwc-server - Acme"
    assert qwc["AppURL"] == "http://localhost:8080/qbwc"
    assert qwc["AppSupport"] == "http://localhost:8080/support"
    assert qwc["UserName"] == "acme"
    assert qwc["QBType"] == "QBFS"
    assert qwc["RunEveryNMinutes"] == "7"
    assert qwc["IsReadOnly"] == "false"

    assert re.match(GUID, qwc["OwnerID"])
    assert re.match(GUID, qwc["FileID"])


def test_owner_id_is_per_installation_and_file_id_per_company(services: Services) -> None:
    services.companies.add("One")
    services.companies.add("Two")
    one, two = _parse(services.companies.qwc("One")), _parse(services.companies.qwc("Two"))
    assert one["OwnerID"] == two["OwnerID"]
    assert one["FileID"] != two["FileID"]
    assert one["AppName"] != two["AppName"]
    # Stable: downloading again gives the same identities.
    assert _parse(services.companies.qwc("One")) == one


def test_values_are_xml_escaped(services: Services) -> None:
    services.companies.add("Smith & Sons <West>")
    qwc = _parse(services.companies.qwc("Smith & Sons <West>"))
    assert qwc["AppName"] == "qbwc-server - Smith & Sons <West>"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://sync.example.com", "must use https"),  # plain http off localhost (QBWC1010)
        ("https://192.168.1.20", "IP address"),  # IP address (QBWC1001)
        ("https://[::1]:8443", "IP address"),  # IPv6 literal
        ("ftp://sync.example.com", r"not an http\(s\) URL"),
    ],
)
def test_urls_the_web_connector_refuses_are_refused(url: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        load_settings({"public_base_url": url}, environ={})


def test_https_host_goes_into_the_qwc(services: Services) -> None:
    view, _ = services.companies.add("Remote")
    text = render_qwc(view, public_base_url="https://sync.example.com/", owner_id="{X}",
                      app_name_prefix="Platform")
    qwc = _parse(text)
    assert qwc["AppURL"] == "https://sync.example.com/qbwc"
    assert qwc["AppSupport"] == "https://sync.example.com/support"
    assert qwc["AppName"] == "Platform - Remote"


def test_app_support_answers_200(client: Any) -> None:
    response = client.get("/support")
    assert response.status_code == 200
    assert b"qbwc-server" in response.data


def test_qwc_download_needs_an_admin_session(client: Any, services: Services) -> None:
    # Signed-in admins download it (tests/integration/test_pages_admin.py); HTTP Basic is gone.
    services.companies.add("Web Co")
    services.admins.add("root", "correct horse battery")
    token = base64.b64encode(b"root:correct horse battery").decode()
    for headers in ({}, {"Authorization": f"Basic {token}"}):
        response = client.get("/admin/companies/Web Co/qwc", headers=headers)
        assert response.status_code == 302
        assert response.location.startswith("/admin/signin")
        assert b"FileID" not in response.data


def test_settings_reject_a_bad_public_url_at_startup(services: Services) -> None:
    with pytest.raises(ConfigError):
        attrs.evolve(services.settings, public_base_url="http://10.0.0.5")

"""Mappings on the partner settings page: items chosen from QuickBooks, payment methods and tax
codes typed, each problem next to its field, nothing half-saved, stale items flagged."""

from __future__ import annotations

from typing import Any

import pytest

from mappers import Mappings
from qbwc_server.app import Services
from qbwc_server.simulator.company import SimulatedCompany
from tests.integration.pages_helpers import deactivate, post, sign_in_admin
from tests.integration.test_pages_partner import VALID, pulled  # noqa: F401 (a fixture)

ROWS = {"payment_method_rows": "2", "item_rows": "2", "tax_code_rows": "1"}
MAPPED = {**VALID, **ROWS,
          "payment_method_code_0": "card", "payment_method_name_0": "Visa",
          "payment_method_code_1": "", "payment_method_name_1": "",
          "item_code_0": "svc-consult", "item_name_0": "Consulting",
          "item_code_1": "", "item_name_1": "",
          "tax_code_code_0": "vat", "tax_code_name_0": "Tax",
          "default_item": "Hardware", "default_payment_method": "Check"}


def test_mappings_are_saved_with_the_settings_and_shown_again(
    client: Any, services: Services, pulled: SimulatedCompany  # noqa: F811
) -> None:
    response = post(client, "/company/Acme/settings", MAPPED)
    assert response.status_code == 302, response.text
    assert services.sync.profile("Acme").mappings == Mappings(
        item={"svc-consult": "Consulting"}, payment_method={"card": "Visa"},
        tax_code={"vat": "Tax"}, default_item="Hardware", default_payment_method="Check")
    page = client.get("/company/Acme").text
    assert 'value="svc-consult"' in page
    assert '<option value="Consulting" selected>' in page
    assert '<option value="Hardware" selected>' in page
    assert 'id="payment_method_name_0" name="payment_method_name_0" value="Visa"' in page
    assert 'id="item_code_3"' in page  # a stored row and three empty ones

    # An emptied row is removed; the settings page without mapping fields keeps them.
    post(client, "/company/Acme/settings", {**MAPPED, "payment_method_code_0": "",
                                            "payment_method_name_0": ""})
    assert services.sync.profile("Acme").mappings.payment_method == {}
    assert post(client, "/company/Acme/settings", VALID).status_code == 302
    assert services.sync.profile("Acme").mappings.item == {"svc-consult": "Consulting"}


def test_items_offered_are_quickbooks_active_items(
    client: Any, services: Services, pulled: SimulatedCompany  # noqa: F811
) -> None:
    deactivate(services, "item", "Cables")
    page = client.get("/company/Acme").text
    select_html = page[page.index('id="item_name_0"'):]
    select_html = select_html[:select_html.index("</select>")]
    values = [part.split('"')[1] for part in select_html.split("<option value=")[1:]]
    assert values[0] == ""
    assert {"Consulting", "Hardware", "Shipping"} <= set(values)
    assert "Cables" not in values


@pytest.mark.parametrize(("field", "value", "message"), [
    ("item_name_0", "Gizmo", "“Gizmo” no longer exists in QuickBooks; choose another item."),
    ("item_name_0", "Cables", "“Cables” is inactive in QuickBooks; choose another item."),
    ("default_item", "Gizmo", "“Gizmo” no longer exists in QuickBooks"),
    ("item_name_0", "", "Choose a QuickBooks item."),
    ("item_code_0", "", "Enter the platform's code"),
    ("tax_code_name_0", "Taxable", "QuickBooks names here are at most 3 characters."),
    ("payment_method_name_0", "", "Type the QuickBooks name."),
    ("payment_method_code_1", "card", "“card” is mapped twice; keep one row."),
])
def test_a_bad_mapping_is_refused_next_to_its_field_and_nothing_is_saved(
    client: Any, services: Services, pulled: SimulatedCompany,  # noqa: F811
    field: str, value: str, message: str
) -> None:
    deactivate(services, "item", "Cables")
    before = services.sync.profile("Acme")
    form = {**MAPPED, field: value, "deposit_account": "Checking", "direction_item": "off"}
    if field == "payment_method_code_1":
        form["payment_method_name_1"] = "MasterCard"
    response = post(client, "/company/Acme/settings", form)
    assert response.status_code == 400
    html = response.text
    assert html.index(f'id="{field}"') < html.index(f'id="{field}-error"') < html.index(
        message.replace("'", "&#39;"))
    assert "Nothing was saved" in html
    assert services.sync.profile("Acme") == before  # not the accounts, not the directions


def test_a_stored_item_that_became_inactive_is_flagged(
    client: Any, services: Services, pulled: SimulatedCompany  # noqa: F811
) -> None:
    services.sync.configure("Acme", mappings={"item": {"cable": "Cables"}})
    deactivate(services, "item", "Cables")
    page = client.get("/company/Acme").text
    assert "“Cables” is inactive in QuickBooks; choose another item." in page
    assert '<option value="Cables" selected>Cables (not usable)</option>' in page


def test_before_the_first_sync_the_item_list_is_explained(
    client: Any, services: Services
) -> None:
    services.companies.add("Acme")
    sign_in_admin(client, services)
    page = client.get("/company/Acme").text
    assert "Your QuickBooks items appear here after the first Web Connector run" in page

"""A step that fails half-way through an answer keeps nothing of it (both databases).

The mappers refuse some values only once a step is reading them (an amount of ``NaN``),
after the step may have stored part of the answer. The engine runs every step inside a
savepoint on a copy of its state, so such an answer is set aside whole, like any other
damaged answer: no record, no change-feed entry, no step progress.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from mappers import Customer, MapperError
from qbwc_server.clock import FakeClock
from qbwc_server.company_service import CompanyService
from qbwc_server.config import Settings
from qbwc_server.store.database import Database
from qbwc_server.store.models import ChangeFeedEntry, QueuedRequest, SyncRecord
from qbwc_server.sync import records
from qbwc_server.sync.engine import SyncEngine
from qbwc_server.sync.step import Outgoing, StepContext, SyncProfile
from qbwc_server.webconnector import ERROR_PROGRESS, WebConnectorService
from qbxml import ResponseMessage
from qbxml.requests import CustomerQuery


class HalfwayStep:
    """Asks for customers once; stores the first one it reads, then meets a bad value."""

    name = "pull:halfway"

    def applies(self, profile: SyncProfile) -> bool:
        return True

    def next(self, ctx: StepContext) -> Outgoing | None:
        if ctx.state.get("read"):
            return None
        return Outgoing(requests=[("customers", CustomerQuery())])

    def handle(self, ctx: StepContext, meta: dict[str, Any], answer: ResponseMessage) -> None:
        ctx.state["read"] = True
        first = answer.responses[0].records[0]
        pulled = records.Pulled(record=Customer(name="Ada", qb_id=first.list_id),  # type: ignore[union-attr]
                                qb_id=first.list_id, qb_version="1", label="Ada",  # type: ignore[union-attr]
                                modified_text=None)
        records.upsert_pulled_many(ctx.session, ctx.company.id, "customer", [pulled], ctx.now)
        raise MapperError("Customer.balance is NaN, not a number")

    def estimate(self, ctx: StepContext) -> int:
        return 0 if ctx.state.get("read") else 1


ANSWER = ('<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="{id}" '
          'statusCode="0" statusSeverity="Info"><CustomerRet><ListID>80000001-1</ListID>'
          "<Name>Ada</Name><Balance>NaN</Balance></CustomerRet></CustomerQueryRs>"
          "</QBXMLMsgsRs></QBXML>")


def test_a_step_failing_half_way_keeps_nothing(db: Database, settings: Settings) -> None:
    clock = FakeClock()
    view, password = CompanyService(db, settings, clock).add("Acme")
    service = WebConnectorService(db, settings, clock, engine=SyncEngine([HalfwayStep()]))
    ticket = service.authenticate(view.username, password)[0]
    request = service.send_request_xml(ticket, "", "", "US", 13, 0)
    assert "<CustomerQueryRq" in request
    request_id = request.split('requestID="', 1)[1].split('"', 1)[0]

    progress = service.receive_response_xml(ticket, ANSWER.format(id=request_id), "", "")

    assert progress == ERROR_PROGRESS
    said = service.get_last_error(ticket)
    assert "is damaged: Customer.balance is NaN, not a number" in said
    assert "it is asked again in the next update" in said
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(SyncRecord)) == 0
        assert session.scalar(select(func.count()).select_from(ChangeFeedEntry)) == 0
        (item,) = session.scalars(select(QueuedRequest))
        assert (item.state, item.error) == ("failed", "damaged answer: Customer.balance is "
                                                      "NaN, not a number")
    # The step did not move on: asked for more (a Web Connector that goes on after -1)
    # it asks again, and so does the next session.
    assert "<CustomerQueryRq" in service.send_request_xml(ticket, "", "", "US", 13, 0)
    service.close_connection(ticket)
    clock.advance(3600)
    again = service.authenticate(view.username, password)[0]
    assert "<CustomerQueryRq" in service.send_request_xml(again, "", "", "US", 13, 0)

"""The simulated QuickBooks company: answers qbXML like QuickBooks Desktop does.

It implements :class:`qbwc_server.simulator.interface.QuickBooks` and never imports the
server's internals.
"""

from __future__ import annotations

from qbwc_server.simulator.company.company import SimulatedCompany

__all__ = ["SimulatedCompany"]

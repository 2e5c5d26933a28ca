"""Where the tests find their data: inside the repository, never beside it.

Intuit's qbXML schemas ship with the simulator (:data:`XSD_DIR`); the other reference files
(WSDLs, the qbXML "sample data" skeleton, real captures) live under ``tests/fixtures/``, whose
README names each file's source.
"""

from __future__ import annotations

from pathlib import Path

from qbwc_server.simulator.company.xsd import XSD_DIR

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
WSDL = FIXTURES / "wsdl"
QBXML_OPS = FIXTURES / "qbxmlops" / "qbxmlops130.xml"
SAMPLES = FIXTURES / "samples"
#: The real QBWC 2.0 session, one SOAP envelope per file.
CAPTURE = SAMPLES / "soap-session-qbwc2.0"
QBXML_XSD = XSD_DIR / "qbxmlops130.xsd"

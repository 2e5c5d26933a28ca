"""Stand-ins for the Windows side: a simulated QuickBooks company and a simulated Web Connector.

They talk to a server only over SOAP (HTTP, or in-process WSGI for fast tests) and
never import the server's internals, so they can drive any QBWC server.
"""

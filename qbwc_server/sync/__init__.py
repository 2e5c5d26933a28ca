"""The QuickBooks Desktop sync engine: plans each Web Connector session as a list of steps.

A step produces one qbXML message at a time and reads its answer. Pull steps read what
changed in QuickBooks; push steps write what the platform wants recorded. All step state
lives in the database, so any server process can serve any call of a session.
"""

"""The HTTP API's policy, shared by every app: one error shape, strict parsers and
fields, request limits, security headers, pagination, schema hooks, logs and the
health probe.
"""

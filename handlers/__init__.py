"""Thin HTTP handlers, one module per provider, routed by operationId from `openapi/`.

A handler parses what Connexion already validated, calls the provider's rules, and shapes
the response. It formats no errors: rules raise `ApiError` and the edge renders it.
"""

"""`make fuzz`: Schemathesis, deep, against a served mock (docs/reliability.md)."""

"""Schemathesis hooks for contract runs against XML-speaking providers.

XML carries text only, and Schemathesis's XML serializer drops the characters XML cannot
carry: a number or null where a string belongs arrives as a string, a string made invalid by a
control character can arrive valid, and a valid one can arrive too short. Such a case is not
what it was generated as by the time the server reads it, so its positive/negative verdict is
judged on the body *as the server reads it*. `schemathesis.toml` loads this module for Oracle.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from jsonschema import Draft4Validator
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.transport.serialization import serialize_xml

from sharemock.spec import ProviderSpec
from sharemock.validation import BodyProblem
from sharemock.xml_bodies import is_xml_media_type, parse_xml, xml_to_json

_specs: dict[int, ProviderSpec] = {}


def _spec_of(case: Any) -> ProviderSpec:
    document = case.operation.schema.raw_schema
    spec = _specs.get(id(document))
    if spec is None or spec.document is not document:
        spec = _specs[id(document)] = ProviderSpec(document)
    return spec


def xml_body_is_valid_on_the_wire(case: Any) -> bool | None:
    """Whether an XML case's body, read as the server reads it, satisfies its schema.

    None when the case has no XML body.
    """
    if case.body is None or not is_xml_media_type(case.media_type):
        return None
    spec = _spec_of(case)
    operation = spec.resolve(spec.document["paths"][case.path][case.method.lower()])
    body_schema = spec.request_schema(operation, case.media_type)
    try:
        wire = xml_to_json(
            parse_xml(serialize_xml(case, case.body)["data"]), body_schema, spec.resolve
        )
    except BodyProblem:
        return False
    validator = Draft4Validator({**body_schema, "components": spec.document.get("components", {})})
    return bool(validator.is_valid(wire))


def is_xml_serialization_artefact(failure: Any, case: Any) -> bool:
    """A data-acceptance verdict that the XML serializer, not the server, made wrong."""
    on_the_wire = xml_body_is_valid_on_the_wire(case)
    if on_the_wire is None:
        return False
    if isinstance(failure, AcceptedNegativeData):
        return on_the_wire
    if isinstance(failure, RejectedPositiveData):
        return not on_the_wire
    return False


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but the XML serializer's artefacts."""
    return not is_xml_serialization_artefact(failure, case)

"""Oracle Content Management: REST API for Documents 1.1 and 1.2, public links (JSON and XML)."""

from sharemock.provider import Provider
from sharemock.providers.oracle import fixtures, store
from sharemock.providers.oracle.auth import dev_password, dev_token
from sharemock.providers.oracle.errors import OracleErrors

PROVIDER = Provider(
    name="oracle",
    title="Oracle Content Management",
    prefix="/oracle",
    spec_file="oracle.yaml",
    handlers_module="handlers.oracle",
    errors=OracleErrors(),
    schema_sql=store.SCHEMA,
    tables=store.TABLES,
    load_fixtures=fixtures.load,
    dev_credential=dev_token,
    seeds=("editPublicLink",),
    docs_user="useraa",
    dev_password=dev_password,
    credential_header="Authorization",
    credential_prefix="Bearer ",
    xml_root="ErrorResponse",
)

__all__ = ["PROVIDER"]

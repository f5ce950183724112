"""DefDrive: JWT-authenticated file drive with per-file access links."""

from sharemock.provider import Provider
from sharemock.providers.defdrive import fixtures, store
from sharemock.providers.defdrive.auth import dev_token
from sharemock.providers.defdrive.errors import DefDriveErrors

PROVIDER = Provider(
    name="defdrive",
    title="DefDrive",
    prefix="/defdrive",
    spec_file="defdrive.yaml",
    handlers_module="handlers.defdrive",
    errors=DefDriveErrors(),
    schema_sql=store.SCHEMA,
    tables=store.TABLES,
    load_fixtures=fixtures.load,
    dev_credential=dev_token,
)

__all__ = ["PROVIDER"]

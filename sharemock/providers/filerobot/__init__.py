"""Filerobot (Scaleflex DAM): project-scoped Shareboxes behind an `X-Filerobot-Key`."""

from sharemock.provider import Provider
from sharemock.providers.filerobot import fixtures, store
from sharemock.providers.filerobot.auth import dev_key
from sharemock.providers.filerobot.errors import FilerobotErrors

PROVIDER = Provider(
    name="filerobot",
    title="Filerobot (Scaleflex DAM) Sharebox",
    prefix="/filerobot",
    spec_file="filerobot.yaml",
    handlers_module="handlers.filerobot",
    errors=FilerobotErrors(),
    schema_sql=store.SCHEMA,
    tables=store.TABLES,
    load_fixtures=fixtures.load,
    dev_credential=dev_key,
    seeds=("updateShare",),
    docs_user="demo",
    credential_header="X-Filerobot-Key",
    credential_prefix="",
)

__all__ = ["PROVIDER"]

"""DefDrive: JWT-authenticated file drive with per-file access links.

Two contracts share one store and one set of rules: the seeds' documented API at `/defdrive`,
and the public Go server as deployed (PascalCase JSON, its paths) at `/defdrive-deployed`.
"""

from dataclasses import replace

from sharemock.provider import Provider
from sharemock.providers.defdrive import fixtures, store
from sharemock.providers.defdrive.auth import dev_token
from sharemock.providers.defdrive.errors import DefDriveErrors, DeployedErrors

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
    seeds=("updateAccess", "togglePublicAccess"),
    docs_user="johndoe",
)

DEPLOYED = replace(
    PROVIDER,
    name="defdrive-deployed",
    title="DefDrive as deployed (the public Go server)",
    prefix="/defdrive-deployed",
    spec_file="defdrive-deployed.yaml",
    handlers_module="handlers.defdrive_deployed",
    errors=DeployedErrors(),
    dialect_of=PROVIDER.name,
)

__all__ = ["DEPLOYED", "PROVIDER"]

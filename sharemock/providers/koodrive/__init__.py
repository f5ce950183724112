"""Huawei Cloud KooDrive: share management ("shared by me") with access-token auth."""

from sharemock.provider import Provider
from sharemock.providers.koodrive import fixtures, store
from sharemock.providers.koodrive.auth import dev_token
from sharemock.providers.koodrive.errors import KooDriveErrors

PROVIDER = Provider(
    name="koodrive",
    title="Huawei Cloud KooDrive",
    prefix="/koodrive",
    spec_file="koodrive.yaml",
    handlers_module="handlers.koodrive",
    errors=KooDriveErrors(),
    schema_sql=store.SCHEMA,
    tables=store.TABLES,
    load_fixtures=fixtures.load,
    dev_credential=dev_token,
    seeds=("updateShare",),
    docs_user="demo",
    credential_header="Authorization",
    credential_prefix="Bearer ",
    # An undeclared query parameter is a parameter KooDrive cannot verify: 13000102.
    strict_validation=True,
    real_path_root="/koodrive/ose/",
)

__all__ = ["PROVIDER"]

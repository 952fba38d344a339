"""Property-based run over the published OpenAPI spec (schemathesis): no request the spec allows, and
none of the malformed ones it generates, makes a server error."""
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from counterclaim.web.app import create_app


@pytest.fixture(scope="module")
def api(web_db, tmp_path_factory):
    # A copy: with a token the app opens its store for writing, which the other web tests read.
    db = tmp_path_factory.mktemp("schema") / "schema.duckdb"
    shutil.copy(web_db, db)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(str(db), token="t"))


def test_no_server_errors(api):
    operations = [op.ok() for op in api.get_all_operations()]
    assert len(operations) >= 10
    for op in operations:
        @given(case=op.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])

        run()

"""Property-based run over the published OpenAPI spec (schemathesis), on a store of the examples and on an
empty one: every request the spec allows, and the malformed ones it generates, answers as the spec says
(no server error; a status code, content type and body the document gives for that route)."""
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from counterclaim.store.db import Store
from counterclaim.web.app import create_app

CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance, schemathesis.checks.response_schema_conformance]


@pytest.fixture(scope="module", params=["examples", "empty"])
def api(request, web_db, tmp_path_factory):
    # A copy: with a token the app opens its store for writing, which the other web tests read.
    db = tmp_path_factory.mktemp("schema") / "schema.duckdb"
    if request.param == "examples":
        shutil.copy(web_db, db)
    else:
        Store(db).close()
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(str(db), token="t"))


def test_every_route_answers_as_documented(api):
    operations = [op.ok() for op in api.get_all_operations()]
    assert len(operations) >= 10
    for op in operations:
        @given(case=op.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(checks=CHECKS)

        run()

"""The bundled example repository: `make demo` shows exactly these findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_lessons.findings import Severity
from pytest_lessons.testing import found_marks, make_check, run_lessons

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

CARTSNITCH = {
    # the '%' crash: both alembic environments, and the dev URL in common/alembic.ini
    ("api/alembic/env.py", 17, "alembic-percent-escape"),
    ("common/alembic/env.py", 10, "alembic-percent-escape"),
    ("common/alembic.ini", 4, "alembic-percent-escape"),
    # create_all on the connection alembic then takes over: rolled back under SQLAlchemy 2.0
    ("api/alembic/env.py", 36, "alembic-create-all-commit"),
    # the 39-character revision id that did not fit alembic_version.version_num
    (
        "api/alembic/versions/003_make_users_hashed_password_nullable.py",
        10,
        "alembic-revision-id-length",
    ),
    # migration 005: NOT NULL column without a server default, inserted by another writer
    ("api/alembic/versions/005_purchase_store.py", 16, "migration-not-null-server-default"),
    # settings read with env_prefix="CARTSNITCH_" but missing from .env.example (empty defaults)
    ("src/cartsnitch_api/settings.py", 7, "env-example-complete"),
    ("src/cartsnitch_api/settings.py", 8, "env-example-complete"),
    # the overlay sets DATABASE_URL and JWT_SECRET_KEY; the API reads CARTSNITCH_ names
    ("deploy/k8s/api.yaml", 14, "env-example-complete"),
    ("deploy/k8s/api.yaml", 17, "env-example-complete"),
    # env.py imports Base from where it is defined, so no model module is ever imported
    ("api/alembic/env.py", 8, "alembic-env-imports-models"),
    # GET /purchases/{purchase_id}: the id only reaches the 404 detail; the lookup is by user
    ("src/cartsnitch_api/routes/purchases.py", 32, "url-id-lookup"),
    # POST /internal/receipt-worker: "internal", so nothing checks who calls it
    ("src/cartsnitch_api/routes/worker.py", 16, "worker-route-auth"),
}

OZI = {
    # the "internal" fan-out worker that accepted anyone's POST
    ("app/api/reorder-worker/route.ts", 5, "worker-route-auth"),
    # order_placed: server-side in the confirmation wrapper, client-side in the form's useEffect
    ("lib/analytics-server.ts", 5, "single-emission-source"),
    ("app/reorder/[orderId]/reorder-form.tsx", 14, "single-emission-source"),
    # both PostHog wrappers awaited inside Promise.all: a PostHog outage becomes a 500
    ("app/api/reorder-events/route.ts", 13, "telemetry-isolation"),
    ("app/api/reorder-events/route.ts", 14, "telemetry-isolation"),
    # the deep link's orderId is shown, while the order is looked up by user
    ("app/reorder/[orderId]/page.tsx", 7, "url-id-lookup"),
    # the server PostHog key the code reads but .env.example never mentions
    ("lib/posthog-server.ts", 3, "env-example-complete"),
    # the cron drops its Promise.allSettled results: no run-completed event, failed workers unseen
    ("app/api/cron/reorder-reminders/route.ts", 9, "worker-failure-event"),
}

PULSECART = {
    # the NATS worker notifies the customer for every delivery of orders.created.v1
    ("worker/worker.go", 31, "consumer-idempotency"),
    # the E2E test sends the same Idempotency-Key on every run
    ("e2e/orders_e2e_test.go", 21, "fixed-idempotency-key-in-tests"),
}

DEMOS = {"cartsnitch-api": CARTSNITCH, "ozi-reorder": OZI, "pulsecart-go": PULSECART}


@pytest.mark.parametrize("prefilter", [True, False], ids=["prefilter", "no-prefilter"])
@pytest.mark.parametrize("demo", sorted(DEMOS))
def test_demo_findings_are_pinned(demo: str, prefilter: bool) -> None:
    outcome = run_lessons(EXAMPLES / demo, use_prefilter=prefilter)
    assert found_marks(outcome) == DEMOS[demo]
    assert outcome.problems == []


@pytest.mark.parametrize("demo", sorted(DEMOS))
def test_demo_through_pytest(demo: str) -> None:
    """The command `make demo` runs, in each example directory."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--lessons",
            "--rootdir=.",
            "--lessons-root=.",
            "-p",
            "no:cacheprovider",
            ".",
        ],
        cwd=EXAMPLES / demo,
        capture_output=True,
        text=True,
        check=False,
    )
    # A warning lesson's finding is reported as a pytest warning, and fails nothing.
    failing = {mark for mark in DEMOS[demo] if _severity(mark[2]) is Severity.ERROR}
    assert result.returncode == (1 if failing else 0), result.stdout + result.stderr
    for path, line, lesson in DEMOS[demo]:
        assert f"{path}:{line}:" in result.stdout
        failed = f"FAILED {path}::{lesson}" in result.stdout
        assert failed == ((path, line, lesson) in failing)
    assert "Traceback" not in result.stdout
    assert "= pytest-lessons =" in result.stdout  # the summary section


def _severity(lesson: str) -> Severity:
    return make_check(lesson).spec.severity

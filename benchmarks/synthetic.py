"""A synthetic monorepo of any size: FastAPI services and Next.js apps in real proportions.

Each block of about 1,000 files is one service and one web app, shaped like the corpora
(polar, inbox-zero, formbricks): mostly ordinary modules and components, one router or API
route in twenty, a page per entity with its id in the path, an analytics wrapper called from a
few places, alembic migrations, settings read from the environment. A few of them repeat the
lessons' mistakes, so judging has work to do. Growing the repository adds blocks, so the cost
per file at 10,000 files can be compared with the cost at 1,000.

Used by `benchmarks/real_repos.py --synthetic` and by the test that extraction gives the same
outcome for every number of jobs.
"""

from __future__ import annotations

from pathlib import Path

BLOCK = 1000

PY_MODULE = '''"""Module {n} of service {s}: ordinary service code."""

from dataclasses import dataclass

from app.models.module_{prev} import Record{prev}


@dataclass
class Record{n}:
    id: int
    name: str
    parent: Record{prev} | None = None

    def describe(self) -> str:
        return f"{{self.id}}: {{self.name}}"


def load_{n}(rows: list[dict[str, object]]) -> list[Record{n}]:
    result = []
    for row in rows:
        if not row:
            continue
        result.append(Record{n}(id=int(str(row["id"])), name=str(row.get("name", ""))))
    return result
'''

PY_SETTINGS = '''"""Settings of service {s}."""

import os

DATABASE_URL = os.environ["DATABASE_URL"]
LIMIT_{s} = int(os.environ.get("LIMIT_{s}", "100"))
SENTRY_DSN = os.getenv("SENTRY_DSN_{s}")
'''

PY_TELEMETRY = '''"""Analytics for service {s}: every emission goes through here."""

import posthog


def track(user_id: str, event: str, properties: dict[str, object] | None = None) -> None:
    posthog.capture(user_id, event, properties or {{}})
'''

PY_ROUTER = '''"""Router {n}: the HTTP face of module {n}."""

from fastapi import APIRouter, Depends, HTTPException

from app.deps import get_session, require_user
from app.models.module_{n} import Record{n}
from app.telemetry import track

router = APIRouter(prefix="/records{n}", dependencies=[Depends(require_user)])


@router.get("/{{record_id}}")
def read_record(record_id: int, session=Depends(get_session)) -> dict[str, object]:
    record = session.get(Record{n}, record_id)
    if record is None:
        raise HTTPException(status_code=404)
    return {{"id": record.id}}


@router.post("/")
def create_record(payload: dict[str, object], session=Depends(get_session)) -> dict[str, int]:
    session.add(Record{n}(id=int(str(payload["id"])), name=str(payload["name"])))
    track(str(payload["id"]), "record_{n}_created")
    return {{"created": 1}}
'''

PY_WORKER_ROUTER = '''"""Internal worker route of service {s}: only the scheduler calls it."""

from fastapi import APIRouter

router = APIRouter()


@router.post("/internal/reorder-worker")
def run_worker(payload: dict[str, object]) -> dict[str, int]:
    return {{"processed": len(payload)}}
'''

PY_DEPS = '''"""Dependencies of service {s}."""

from fastapi import Header, HTTPException


def get_session() -> object:
    return object()


def require_user(authorization: str = Header(...)) -> str:
    if not authorization.startswith("Bearer "):
        raise HTTPException(status_code=401)
    return authorization[7:]
'''

ALEMBIC_ENV = """from alembic import context
from sqlalchemy import engine_from_config, pool

from app.settings import DATABASE_URL

config = context.config
config.set_main_option("sqlalchemy.url", DATABASE_URL)


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
"""

MIGRATION = '''"""add column {n}

Revision ID: {rev}
Revises: {down}
"""

import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = {down_repr}


def upgrade() -> None:
    op.add_column("records", sa.Column("field_{n}", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("records", "field_{n}")
'''

TS_LIB = """import {{ helper{prev} }} from "./lib_{prev}";

export type Item{n} = {{ id: string; name: string; count: number }};

export function helper{n}(items: Item{n}[]): number {{
  let total = helper{prev}([]);
  for (const item of items) {{
    if (!item.name) continue;
    total += item.count;
  }}
  return total;
}}

export const label{n} = (item: Item{n}) => `${{item.id}}: ${{item.name}}`;
"""

TS_COMPONENT = """import {{ helper{n} }} from "@/lib/lib_{n}";

type Props = {{ title: string; items: {{ id: string; name: string; count: number }}[] }};

export function Component{n}({{ title, items }}: Props) {{
  const total = helper{n}(items);
  return (
    <section>
      <h2>{{title}}</h2>
      <ul>
        {{items.map((item) => (
          <li key={{item.id}}>{{item.name}}</li>
        ))}}
      </ul>
      <p>{{total}}</p>
    </section>
  );
}}
"""

TS_ANALYTICS = """import posthog from "posthog-js";

export function trackClient(event: string, properties?: Record<string, unknown>) {
  posthog.capture(event, properties);
}
"""

TS_SERVER_ANALYTICS = """import { PostHog } from "posthog-node";

const client = new PostHog(process.env.POSTHOG_KEY ?? "");

export async function trackServer(userId: string, event: string) {
  client.capture({ distinctId: userId, event });
}
"""

TS_ROUTE = """import {{ NextResponse }} from "next/server";
import {{ auth }} from "@/lib/auth";
import {{ trackServer }} from "@/lib/server-analytics";

export async function POST(request: Request) {{
  const session = await auth();
  if (!session) {{
    return NextResponse.json({{ error: "unauthorized" }}, {{ status: 401 }});
  }}
  const body = await request.json();
  await Promise.all([saveItem{n}(body), trackServer(session.userId, "item_{n}_saved")]);
  return NextResponse.json({{ ok: true }});
}}

async function saveItem{n}(body: unknown) {{
  return body;
}}
"""

TS_WORKER_ROUTE = """import { NextResponse } from "next/server";

export async function POST(request: Request) {
  const job = await request.json();
  return NextResponse.json({ processed: job.id });
}
"""

TS_AUTH = """export async function auth(): Promise<{ userId: string } | null> {
  return null;
}
"""

TS_PAGE = """import {{ Component{n} }} from "@/components/Component{n}";
import {{ trackClient }} from "@/lib/analytics";

export default async function Page({{ params }}: {{ params: {{ id: string }} }}) {{
  const items = await fetch(`/api/items/${{params.id}}`).then((r) => r.json());
  trackClient("page_{n}_viewed");
  return <Component{n} title="Items" items={{items}} />;
}}
"""

TS_EMITTED_TWICE = """"use client";
import { trackClient } from "@/lib/analytics";

export function CheckoutButton() {
  return <button onClick={() => trackClient("order_placed")}>Buy</button>;
}
"""

TS_SERVER_TWICE = """import { trackServer } from "@/lib/server-analytics";

export async function placeOrder(userId: string) {
  await trackServer(userId, "order_placed");
}
"""


def make_monorepo(root: Path, files: int) -> int:
    """Write about `files` files under `root`; returns how many were written."""
    written = 0
    blocks = max(1, round(files / BLOCK))
    per_block = max(20, files // blocks)
    for block in range(blocks):
        written += _service(root / "services" / f"api{block}", block, per_block // 2)
        written += _web_app(root / "apps" / f"web{block}", block, per_block - per_block // 2)
    return written


def _write(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return 1


def _service(root: Path, s: int, budget: int) -> int:
    app = root / "app"
    written = _write(app / "__init__.py", "")
    written += _write(app / "deps.py", PY_DEPS.format(s=s))
    written += _write(app / "settings.py", PY_SETTINGS.format(s=s))
    written += _write(app / "telemetry.py", PY_TELEMETRY.format(s=s))
    written += _write(app / "routers" / "worker.py", PY_WORKER_ROUTER.format(s=s))
    written += _write(root / "alembic" / "env.py", ALEMBIC_ENV)
    written += _write(root / ".env.example", f"DATABASE_URL=\nSENTRY_DSN_{s}=\n")
    migrations = max(2, budget // 50)
    for n in range(migrations):
        written += _write(
            root / "alembic" / "versions" / f"{n:04d}_add_field_{n}.py",
            MIGRATION.format(
                n=n,
                rev=f"{s:03d}{n:09d}",
                down=f"{s:03d}{n - 1:09d}" if n else "None",
                down_repr=f'"{s:03d}{n - 1:09d}"' if n else "None",
            ),
        )
    routers: list[int] = []
    n = 0
    while written < budget:
        if n % 20 == 0:
            routers.append(n)
            written += _write(app / "routers" / f"router_{n}.py", PY_ROUTER.format(n=n, s=s))
        written += _write(
            app / "models" / f"module_{n}.py",
            PY_MODULE.format(n=n, s=s, prev=max(0, n - 1)),
        )
        n += 1
    written += _write(
        app / "main.py",
        "from fastapi import FastAPI\n\n"
        + "".join(f"from app.routers import router_{r}\n" for r in routers)
        + "from app.routers import worker\n\napp = FastAPI()\n"
        + "".join(f"app.include_router(router_{r}.router)\n" for r in routers)
        + "app.include_router(worker.router)\n",
    )
    return written


def _web_app(root: Path, s: int, budget: int) -> int:
    written = _write(
        root / "package.json",
        f'{{"name": "web{s}", "dependencies": {{"next": "14.2.0", "posthog-js": "1.0.0", '
        '"posthog-node": "4.0.0"}}\n',
    )
    written += _write(
        root / "tsconfig.json",
        '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["./*"]}}}\n',
    )
    written += _write(root / "lib" / "analytics.ts", TS_ANALYTICS)
    written += _write(root / "lib" / "server-analytics.ts", TS_SERVER_ANALYTICS)
    written += _write(root / "lib" / "auth.ts", TS_AUTH)
    written += _write(root / "app" / "api" / "worker" / "route.ts", TS_WORKER_ROUTE)
    written += _write(root / "components" / "CheckoutButton.tsx", TS_EMITTED_TWICE)
    written += _write(root / "lib" / "orders.ts", TS_SERVER_TWICE)
    written += _write(root / ".env.example", "POSTHOG_KEY=\n")
    n = 0
    while written < budget:
        written += _write(root / "lib" / f"lib_{n}.ts", TS_LIB.format(n=n, prev=max(0, n - 1)))
        if written < budget:
            written += _write(root / "components" / f"Component{n}.tsx", TS_COMPONENT.format(n=n))
        if n % 20 == 0 and written < budget:
            written += _write(root / "app" / "api" / f"items{n}" / "route.ts", TS_ROUTE.format(n=n))
        if n % 25 == 0 and written < budget:
            written += _write(
                root / "app" / f"entity{n}" / "[id]" / "page.tsx", TS_PAGE.format(n=n)
            )
        n += 1
    return written

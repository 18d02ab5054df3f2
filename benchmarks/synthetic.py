"""A synthetic monorepo of any size: FastAPI services and Next.js apps in real proportions.

Each block of about 1,000 files is one service and one web app, shaped like the corpora
(polar, inbox-zero, formbricks): mostly ordinary modules and components, one router or API
route in twenty, a page per entity with its id in the path, an analytics wrapper called from a
few places, alembic migrations, settings read from the environment. A few of them repeat the
lessons' mistakes, so judging has work to do. Growing the repository adds blocks, so the cost
per file at 10,000 files can be compared with the cost at 1,000.

Files are sized like the corpora's too (`sizes="corpora"`, the default): an ordinary module,
library or component holds one to six sections of ordinary code (classes, functions, hooks),
from about 30 to 200 lines, a mean of about 100 (the corpora's code files have a median of 56
to 95 lines and a mean of 116 to 228). `sizes="tiny"` writes one section each (about 20
lines), the shape every earlier measurement used: there the work per file that does not grow
with its length (reading it, planning it, its facts crossing processes) weighs several times
more than in a real repository.

Used by `benchmarks/real_repos.py --synthetic` and by the test that extraction gives the same
outcome for every number of jobs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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

PY_SECTION = '''

@dataclass
class Entry{n}x{k}:
    """An entry of kind {k} kept by module {n}."""

    id: int
    name: str
    tags: list[str] = field(default_factory=list)
    parent: Record{n} | None = None

    def describe(self) -> str:
        label = ", ".join(sorted(self.tags)) or "untagged"
        return f"{{self.id}}: {{self.name}} ({{label}})"

    def matches(self, query: str) -> bool:
        lowered = query.lower()
        return lowered in self.name.lower() or any(lowered in tag for tag in self.tags)


def group_{n}x{k}(entries: list[Entry{n}x{k}]) -> dict[str, list[Entry{n}x{k}]]:
    groups: dict[str, list[Entry{n}x{k}]] = {{}}
    for entry in entries:
        key = entry.name[:1].upper() or "#"
        groups.setdefault(key, []).append(entry)
    return groups


def parse_{n}x{k}(rows: list[dict[str, object]]) -> list[Entry{n}x{k}]:
    result = []
    for row in rows:
        if not row or "id" not in row:
            continue
        tags = [str(tag) for tag in row.get("tags", []) or []]
        name = str(row.get("name", ""))
        result.append(Entry{n}x{k}(id=int(str(row["id"])), name=name, tags=tags))
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

TS_LIB_LOOKUP = """
async function lookup{n}(id: string): Promise<Item{n} | null> {{
  return id ? {{ id, name: id, count: 1 }} : null;
}}
"""

TS_LIB_SECTION = """
export function summarise{n}x{k}(items: Item{n}[]): {{ total: number; names: string[] }} {{
  const names: string[] = [];
  let total = 0;
  for (const item of items) {{
    if (item.count <= 0) continue;
    total += item.count;
    names.push(item.name.trim());
  }}
  return {{ total, names: names.sort() }};
}}

export async function load{n}x{k}(ids: string[]): Promise<Item{n}[]> {{
  const unique = Array.from(new Set(ids)).filter(Boolean);
  const found = await Promise.all(unique.map((id) => lookup{n}(id)));
  return found.filter((item): item is Item{n} => item !== null);
}}
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

TS_COMPONENT_HEADER = """import { useMemo, useState } from "react";

type Item = { id: string; name: string; count: number };

"""

TS_COMPONENT_SECTION = """
type RowProps{k} = {{ item: Item; onSelect: (id: string) => void }};

export function Row{n}x{k}({{ item, onSelect }}: RowProps{k}) {{
  const [open, setOpen] = useState(false);
  const label = useMemo(() => `${{item.name}} (${{item.count}})`, [item]);
  return (
    <li className={{open ? "row open" : "row"}} onClick={{() => setOpen(!open)}}>
      <span>{{label}}</span>
      {{open && (
        <button type="button" onClick={{() => onSelect(item.id)}}>
          Select
        </button>
      )}}
    </li>
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


Sizes = Literal["corpora", "tiny"]
MAX_SECTIONS = 6


def make_monorepo(root: Path, files: int, sizes: Sizes = "corpora") -> int:
    """Write about `files` files under `root`; returns how many were written."""
    written = 0
    blocks = max(1, round(files / BLOCK))
    per_block = max(20, files // blocks)
    for block in range(blocks):
        written += _service(root / "services" / f"api{block}", block, per_block // 2, sizes)
        written += _web_app(root / "apps" / f"web{block}", block, per_block - per_block // 2, sizes)
    return written


def _sections(n: int, sizes: Sizes) -> range:
    """Which sections an ordinary file `n` gets: none beyond its base for `tiny`, else one to
    `MAX_SECTIONS`, spread evenly, so that lengths vary as in a real tree."""
    return range(0 if sizes == "tiny" else 1 + (n * 7) % MAX_SECTIONS)


def _py_module(n: int, s: int, sizes: Sizes) -> str:
    text = PY_MODULE.format(n=n, s=s, prev=max(0, n - 1))
    sections = _sections(n, sizes)
    if not sections:
        return text
    text = text.replace("import dataclass\n", "import dataclass, field\n", 1)
    return text + "".join(PY_SECTION.format(n=n, k=k) for k in sections)


def _ts_lib(n: int, sizes: Sizes) -> str:
    text = TS_LIB.format(n=n, prev=max(0, n - 1))
    sections = _sections(n, sizes)
    if not sections:
        return text
    return (
        text
        + TS_LIB_LOOKUP.format(n=n)
        + "".join(TS_LIB_SECTION.format(n=n, k=k) for k in sections)
    )


def _component(n: int, sizes: Sizes) -> str:
    text = TS_COMPONENT.format(n=n)
    sections = _sections(n + 3, sizes)
    if not sections:
        return text
    return (
        TS_COMPONENT_HEADER
        + text
        + "".join(TS_COMPONENT_SECTION.format(n=n, k=k) for k in sections)
    )


def _write(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return 1


def _service(root: Path, s: int, budget: int, sizes: Sizes) -> int:
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
        written += _write(app / "models" / f"module_{n}.py", _py_module(n, s, sizes))
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


def _web_app(root: Path, s: int, budget: int, sizes: Sizes) -> int:
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
        written += _write(root / "lib" / f"lib_{n}.ts", _ts_lib(n, sizes))
        if written < budget:
            written += _write(root / "components" / f"Component{n}.tsx", _component(n, sizes))
        if n % 20 == 0 and written < budget:
            written += _write(root / "app" / "api" / f"items{n}" / "route.ts", TS_ROUTE.format(n=n))
        if n % 25 == 0 and written < budget:
            written += _write(
                root / "app" / f"entity{n}" / "[id]" / "page.tsx", TS_PAGE.format(n=n)
            )
        n += 1
    return written

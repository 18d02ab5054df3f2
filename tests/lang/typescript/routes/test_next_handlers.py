"""Next.js entry points: App Router and Pages Router handlers, server actions, pages."""

from __future__ import annotations

import pytest

from tests.lang.typescript.routes.support import facts, methods, only


def test_app_router_handler_shapes() -> None:
    result = facts(
        "app/api/orders/[orderId]/route.ts",
        """
import { withAuth } from "@/lib/auth";
import { deleteImpl } from "./impl";

export async function GET(req: Request) { return Response.json({}); }
export const POST = async (req: Request) => Response.json({});
async function update(req: Request) { return new Response(null); }
export const PUT = withError(withAuth(update));
export { deleteImpl as DELETE };
export const dynamic = "force-dynamic";
""",
    )
    by_method = {h.method: h for h in result.handlers}
    assert sorted(by_method) == ["DELETE", "GET", "POST", "PUT"]
    get = by_method["GET"]
    assert (get.framework, get.path, get.params) == (
        "next-app",
        "/api/orders/[orderId]",
        ["orderId"],
    )
    assert get.handler.kind == "inline" and get.safe_methods_only
    assert (get.line, get.column) == (5, 1)
    assert by_method["POST"].handler.kind == "inline" and not by_method["POST"].safe_methods_only
    put = by_method["PUT"]
    assert put.wrappers == ["withError", "withAuth"]
    assert (put.handler.kind, put.handler.name, put.handler.line) == ("local", "update", 7)
    delete = by_method["DELETE"]
    assert (delete.handler.kind, delete.handler.name, delete.handler.module) == (
        "import",
        "deleteImpl",
        "./impl",
    )
    assert delete.handler.imported == "deleteImpl"


def test_wrapper_held_in_a_local_binding_is_followed() -> None:
    result = facts(
        "app/api/x/route.ts",
        "import { impl } from '../impl';\n"
        "const handler = withCron(impl);\nexport { handler as POST };\n",
    )
    post = only(result)
    assert post.wrappers == ["withCron"]
    assert (post.handler.kind, post.handler.name) == ("import", "impl")


def test_reexported_handlers_and_star_exports() -> None:
    result = facts(
        "app/api/callback/route.ts",
        'export { POST, GET as HEAD } from "../webhook/route";\nexport * from "./more";\n',
    )
    assert [
        (h.method, h.handler.kind, h.handler.name, h.handler.module) for h in result.handlers
    ] == [
        ("POST", "import", "POST", "../webhook/route"),
        ("HEAD", "import", "GET", "../webhook/route"),
    ]
    assert result.star_reexports == ["./more"]


def test_next_auth_destructured_handlers() -> None:
    result = facts(
        "app/api/auth/[...nextauth]/route.ts",
        'import { handlers } from "@/auth";\nexport const { GET, POST } = handlers;\n',
    )
    assert [(h.method, h.handler.kind, h.handler.name) for h in result.handlers] == [
        ("GET", "unknown", "handlers.GET"),
        ("POST", "unknown", "handlers.POST"),
    ]


def test_wrapper_factory_without_a_handler_argument() -> None:
    post = only(
        facts("app/api/q/route.ts", 'export const POST = createQueueHandler({ path: "/x" });')
    )
    assert post.wrappers == ["createQueueHandler"]
    assert post.handler.kind == "unknown"


def test_non_route_files_have_no_next_handlers() -> None:
    assert facts("app/api/x/helpers.ts", "export async function POST() {}").handlers == []
    assert facts("lib/route.ts", "export async function POST() {}").handlers == []


def test_hono_app_in_a_catch_all_route() -> None:
    result = facts(
        "app/api/[[...route]]/route.ts",
        """
import { Hono } from "hono";
import { handle } from "hono/vercel";
import { requireAuth } from "@/lib/auth";

const app = new Hono().basePath("/api");
app.post("/orders", requireAuth, async (c) => c.json({}));
app.get("/orders/:orderId", (c) => c.json({ id: c.req.param("orderId") }));
app.delete("/orders/:orderId", (c) => c.json({}));

export const GET = handle(app);
export const POST = handle(app);
""",
    )
    assert [(h.framework, h.method, h.path) for h in result.handlers] == [
        ("hono", "POST", "/api/orders"),
        ("hono", "GET", "/api/orders/:orderId"),
    ]
    assert result.handlers[0].middlewares == ["requireAuth"]
    assert result.handlers[1].params == ["orderId"]


def test_hono_app_imported_into_the_route_stays_a_wrapped_export() -> None:
    post = only(
        facts(
            "app/api/[[...route]]/route.ts",
            'import app from "@/server/app";\nimport { handle } from "hono/vercel";\n'
            "export const POST = handle(app);\n",
        )
    )
    assert (post.framework, post.wrappers, post.handler.kind, post.handler.name) == (
        "next-app",
        ["handle"],
        "import",
        "app",
    )


def test_server_actions() -> None:
    result = facts(
        "app/orders/actions.ts",
        """'use server';
export async function placeOrder(form: FormData) {}
export const cancelOrder = authAction.schema(s).action(async ({ parsedInput }) => {});
export const LIMIT = 3;
""",
    )
    assert [(h.framework, h.method, h.exported_as) for h in result.handlers] == [
        ("next-server-action", "POST", "placeOrder"),
        ("next-server-action", "POST", "cancelOrder"),
    ]
    assert result.handlers[1].wrappers == ["authAction.schema().action"]


def test_pages_api_without_method_restriction_is_any() -> None:
    handler = only(
        facts(
            "pages/api/reorder-worker.ts",
            "export default async function handler(req, res) {\n  await enqueue(req.body);\n"
            "  res.status(200).json({ ok: true });\n}\n",
        )
    )
    assert (handler.framework, handler.method, handler.path) == (
        "next-pages-api",
        "ANY",
        "/api/reorder-worker",
    )
    assert not handler.safe_methods_only
    assert handler.handler.kind == "inline"


def test_pages_api_guard_restricts_to_one_method() -> None:
    result = facts(
        "pages/api/orders.ts",
        """
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return res.status(405).end();
  }
  await db.order.create({ data: req.body });
  res.json({ ok: true });
}
""",
    )
    assert methods(result) == [("POST", "/api/orders")]


def test_pages_api_guard_without_return_restricts_nothing() -> None:
    result = facts(
        "pages/api/orders.ts",
        """export default async function handler(req, res) {
  if (req.method !== "GET") { res.status(405).end(); }
  await db.order.deleteMany();
  res.json({});
}""",
    )
    assert [h.method for h in result.handlers] == ["ANY"]


def test_pages_api_safe_guard() -> None:
    result = facts(
        "pages/api/stats.ts",
        """const handler = async (req, res) => {
  if (!["GET", "HEAD"].includes(req.method)) return res.status(405).end();
  res.json(await stats());
};
export default withSentry(handler);""",
    )
    assert [h.method for h in result.handlers] == ["GET", "HEAD"]
    assert all(h.safe_methods_only for h in result.handlers)
    assert result.handlers[0].wrappers == ["withSentry"]
    assert (result.handlers[0].handler.kind, result.handlers[0].handler.name) == (
        "local",
        "handler",
    )


def test_pages_api_switch_with_rejecting_default() -> None:
    result = facts(
        "pages/api/orders/[id].ts",
        """export default async function handler(req, res) {
  const { method } = req;
  try {
    switch (method) {
      case "GET":
        return res.json(await get(req.query.id));
      case "DELETE":
        await remove(req.query.id);
        return res.status(204).end();
      default:
        res.setHeader("Allow", ["GET", "DELETE"]);
        return res.status(405).end(`Method ${method} Not Allowed`);
    }
  } catch (error) {
    return res.status(500).end();
  }
}""",
    )
    assert methods(result) == [("GET", "/api/orders/[id]"), ("DELETE", "/api/orders/[id]")]
    assert result.handlers[0].params == ["id"]
    assert not result.handlers[0].safe_methods_only


def test_pages_api_branches_with_mutating_fallthrough_add_any() -> None:
    result = facts(
        "pages/api/orders.ts",
        """export default async (req, res) => {
  if (req.method === "GET") {
    return res.json(await list());
  }
  await db.order.create({ data: req.body });
  return res.json({ ok: true });
};""",
    )
    assert [h.method for h in result.handlers] == ["GET", "ANY"]
    assert not any(h.safe_methods_only for h in result.handlers)


def test_pages_api_else_if_chain_with_405() -> None:
    result = facts(
        "pages/api/orders.js",
        """export default function handler(req, res) {
  if (req.method === "GET") { res.json([]) }
  else if (req.method === "POST" || req.method === "PUT") { save(req.body); res.json({}) }
  else { res.status(405).json({ error: "Method not allowed" }) }
}""",
    )
    assert [h.method for h in result.handlers] == ["GET", "POST", "PUT"]


def test_pages_api_fallthrough_405_after_branches() -> None:
    result = facts(
        "pages/api/ping.ts",
        """export default function handler(req, res) {
  if (req.method === "GET") {
    return res.json({ pong: true });
  }
  res.setHeader("Allow", ["GET"]);
  res.status(405).end();
}""",
    )
    assert [h.method for h in result.handlers] == ["GET"]
    assert result.handlers[0].safe_methods_only


def test_pages_api_default_export_of_an_import_and_commonjs() -> None:
    imported = only(
        facts("pages/api/x.ts", 'import handler from "@/handlers/x";\nexport default handler;')
    )
    assert (imported.method, imported.handler.kind, imported.handler.name) == (
        "ANY",
        "import",
        "handler",
    )
    commonjs = only(facts("pages/api/y.js", "module.exports = (req, res) => res.end();"))
    assert (commonjs.method, commonjs.handler.kind) == ("ANY", "inline")


def test_pages_router_pages_with_data_functions() -> None:
    result = facts(
        "pages/reorder/[orderId].tsx",
        """export default function Reorder({ order }) { const router = useRouter(); return null; }
export async function getServerSideProps({ params }) { return { props: {} }; }
""",
    )
    assert result.handlers == []
    page = result.pages[0]
    assert (page.framework, page.path, page.params) == (
        "next-pages-page",
        "/reorder/[orderId]",
        ["orderId"],
    )
    assert page.uses == ["router-query", "getServerSideProps"]
    assert facts("pages/about.tsx", "export default function A() { return null }").pages == []


@pytest.mark.parametrize(
    ("code", "uses"),
    [
        (
            "export default async function Page({ params }: { params: Promise<Params> }) {\n"
            "  const { orderId } = await params;\n  return null;\n}",
            ["props", "await-params"],
        ),
        (
            "export default function Page(props) { const p = use(props.params); return null; }",
            ["props", "use(params)"],
        ),
        (
            "'use client';\n"
            "export default function Page() { const { orderId } = useParams(); return null; }",
            ["useParams"],
        ),
        ("export default function Page() { return null; }", []),
    ],
)
def test_app_router_page_param_uses(code: str, uses: list[str]) -> None:
    page = facts("app/reorder/[orderId]/page.tsx", code).pages[0]
    assert (page.framework, page.path, page.params, page.uses) == (
        "next-app-page",
        "/reorder/[orderId]",
        ["orderId"],
        uses,
    )

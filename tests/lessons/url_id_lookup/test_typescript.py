"""url-id-lookup: snippets with exact lines and messages, options, and robustness."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.checks.url_id_lookup import UrlIdLookup
from pytest_lessons.findings import Finding
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import check_example_tree, judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "url-id-lookup"
LESSONS_DIR = BUILTIN_LESSONS_DIR
EXAMPLES_DIR = LESSONS_DIR / LESSON_ID
SPEC = build_check(LESSON_ID).spec
PAGE = "app/reorder/[orderId]/page.tsx"
ROUTE = "app/api/orders/[id]/route.ts"


def make_check(**overrides: Any) -> UrlIdLookup:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, UrlIdLookup)
    return check


def run(code: str, rel: str = PAGE, **overrides: Any) -> list[Finding]:
    return judge_files(make_check(**overrides), {rel: code})


def flagged(code: str, rel: str = PAGE, **overrides: Any) -> list[int]:
    return [finding.line for finding in run(code, rel, **overrides)]


def only_message(code: str, rel: str = PAGE, **overrides: Any) -> str:
    findings = run(code, rel, **overrides)
    assert len(findings) == 1, [finding.message for finding in findings]
    return findings[0].message


INCIDENT = """\
export default async function ReorderPage({ params }) {
  const { orderId } = await params;
  const session = await getSession();
  const order = await getLastEssentialByUserId(session.userId);
  return <main><h1>Reorder {orderId}</h1><Buy product={order.product} /></main>;
}
"""


def test_incident_shape_is_flagged_with_param_route_and_other_lookup() -> None:
    findings = run(INCIDENT)
    assert [(f.line, f.column) for f in findings] == [(2, 11)]
    assert findings[0].message == (
        "URL parameter `orderId` of page /reorder/[orderId] is only displayed, logged or "
        "echoed, never used as a lookup key; data is fetched by "
        "`getLastEssentialByUserId(session.userId)` instead"
    )


def test_incident_fixed_is_clean() -> None:
    assert (
        flagged(INCIDENT.replace("getLastEssentialByUserId(session.userId)", "getOrder(orderId)"))
        == []
    )


def test_unread_param_of_a_handler_is_reported_at_the_handler() -> None:
    code = """\
    import { db } from "@/db";
    export async function DELETE(req: Request) {
      await db.order.deleteMany({ where: { status: "draft" } });
      return Response.json({ ok: true });
    }
    """
    findings = run(code, ROUTE)
    assert [(f.line, f.column) for f in findings] == [(2, 1)]
    assert findings[0].message == "URL parameter `id` of DELETE /api/orders/[id] is never read"


def test_param_only_checked_in_a_handler_is_read_but_never_used() -> None:
    code = """\
    export async function GET(req, { params }) {
      if (!params.id) return new Response(null, { status: 400 });
      return Response.json(await listOrders());
    }
    """
    assert only_message(code, ROUTE).startswith(
        "URL parameter `id` of GET /api/orders/[id] is read but never used"
    )


def test_logged_and_captured_only_names_the_calls() -> None:
    code = """\
    export async function POST(req, { params }) {
      const { id } = params;
      console.log("cancel", id);
      posthog.capture({ event: "cancel", properties: { id } });
      await cancelNewestOrder();
      return NextResponse.json({ id });
    }
    """
    assert only_message(code, ROUTE) == (
        "URL parameter `id` of POST /api/orders/[id] is only displayed, logged or echoed "
        "(`console.log`, `posthog.capture`, `NextResponse.json`), never used as a lookup key"
    )
    # the same handler without the call that changes data loads nothing: nothing to get wrong
    assert flagged(code.replace("      await cancelNewestOrder();\n", ""), ROUTE) == []


RETIRED = """\
import { getServerSession } from "next-auth/next";

export default async function handle(req, res) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) {
    return res.status(401).end("Unauthorized");
  }
  const { id } = req.query;
  if (!id) {
    return res.status(400).json({ message: "missing id" });
  }
  console.warn(`retired endpoint called for ${id}`);
  return res.status(410).json("This endpoint was retired");
}
"""
"""papermark's retired `POST .../datarooms/[id]/users`, in our words: a session check, then an
answer. It loads nothing, so it cannot load the wrong dataroom."""


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ("", None),
        # any call not known to be inert may touch data: the handler is judged again
        ("  await notifyAdmins(session.user.email);\n", 8),
        ("  const last = await prisma.dataroom.findFirst({ where: { userId } });\n", 8),
    ],
)
def test_a_handler_that_loads_nothing_is_not_judged(extra: str, line: int | None) -> None:
    code = RETIRED.replace("  return res.status(410)", extra + "  return res.status(410)")
    assert flagged(code, "pages/api/datarooms/[id]/users.ts") == ([line] if line else [])


def test_express_id_echoed_in_the_response_body_is_display() -> None:
    code = """\
    import express from "express";
    const router = express.Router();
    router.get("/orders/:orderId", async (req, res) => {
      const latest = await findLatestOrder(req.user.id);
      res.json({ orderId: req.params.orderId, items: latest.items });
    });
    """
    assert flagged(code, "server/orders.ts") == [5]


@pytest.mark.parametrize(
    "body",
    [
        "const o = await prisma.order.findUnique({ where: { id: params.orderId } });",
        "const o = await getOrder(Number(params.orderId));",
        "const n = parseInt(params.orderId, 10); const o = await getOrder(n);",
        "const r = await fetch(`/api/orders/${params.orderId}`);",
        "const { data } = useSWR(`/api/orders/${params.orderId}`);",
        'const q = useQuery({ queryKey: ["order", params.orderId], queryFn: load });',
        "const q = trpc.order.get.useQuery({ id: params.orderId });",
        'const { data } = await supabase.from("orders").select().eq("id", params.orderId);',
        "const rows = await db.select().from(orders).where(eq(orders.id, params.orderId));",
        "const rows = await sql`select * from orders where id = ${params.orderId}`;",
        "redirect(`/orders/${params.orderId}`);",
        "const o = orders.find((x) => x.id === params.orderId);",
        "return <OrderView orderId={params.orderId} />;",
        "return <Link href={`/orders/${params.orderId}/edit`}>Edit</Link>;",
        "const o = await loadOrder(params);",
        "const where = {}; where.id = params.orderId;",
    ],
)
def test_lookups_count_as_use(body: str) -> None:
    code = f"export default async function Page({{ params }}) {{\n  {body}\n  return null;\n}}\n"
    assert flagged(code) == []


@pytest.mark.parametrize(
    "body",
    [
        "return <h1>{params.orderId}</h1>;",
        "return <title>{`Order ${params.orderId}`}</title>;",
        'return <div className="x" title={params.orderId} />;',
        'toast(t("opened", { id: params.orderId }));',
        "logger.info({ orderId: params.orderId });",
        'track("viewed", { orderId: params.orderId });',
        "return <Card heading={`Order ${params.orderId}`} />;",
    ],
)
def test_display_only_is_flagged(body: str) -> None:
    code = f"export default async function Page({{ params }}) {{\n  {body}\n  return null;\n}}\n"
    assert flagged(code) == [2]


def test_generate_metadata_is_display() -> None:
    code = """\
    export async function generateMetadata({ params }) {
      return { title: `Order ${params.orderId}` };
    }
    export default function Page({ params }) {
      return <h1>{params.orderId}</h1>;
    }
    """
    assert flagged(code) == [2]


def test_pages_router_query_and_use_params() -> None:
    router = """\
    import { useRouter } from "next/router";
    export default function OrderPage() {
      const router = useRouter();
      const { orderId } = router.query;
      return <p>{orderId}</p>;
    }
    """
    assert flagged(router, "pages/orders/[orderId].tsx") == [4]
    client = """\
    "use client";
    export default function OrderPage() {
      const { orderId } = useParams();
      const { data } = useSWR(["order", orderId], fetcher);
      return <p>{data?.total}</p>;
    }
    """
    assert flagged(client) == []


def test_pages_that_never_read_the_param_are_left_to_their_children() -> None:
    assert flagged("export default function Page() { return <OrderView />; }\n") == []


def test_wrapped_handler_and_preflight_are_not_judged_for_unread() -> None:
    wrapped = (
        "export const GET = withWorkspace(async ({ workspace }) => Response.json(workspace));\n"
    )
    assert flagged(wrapped, ROUTE) == []
    assert flagged("export async function OPTIONS() { return new Response(null); }\n", ROUTE) == []


def test_parent_segments_are_not_reported_when_unread() -> None:
    code = """\
    export async function GET(req, { params }) {
      return Response.json(await getLink(params.linkId));
    }
    """
    assert flagged(code, "app/api/workspaces/[workspaceId]/links/[linkId]/route.ts") == []


def test_express_router_param_preloads() -> None:
    code = """\
    const router = express.Router();
    router.param("orderId", async (req, res, next, id) => {
      req.order = await Order.findById(id);
      next();
    });
    router.get("/orders/:orderId", (req, res) => res.json(req.order));
    router.get("/users/:userId", async (req, res) =>
      res.json({ userId: req.params.userId, profile: await loadProfile(req.user.id) }),
    );
    """
    assert flagged(code, "server/orders.ts") == [8]


def test_hono_param_call() -> None:
    code = """\
    const app = new Hono();
    app.get("/orders/:id", async (c) => c.json({ id: c.req.param("id"), last: await lastOrder() }));
    app.get("/invoices/:id", async (c) => c.json(await getInvoice(c.req.param("id"))));
    app.get("/refunds/:id", async (c) => c.json({ id: c.req.param("id") }));  // loads nothing
    """
    assert flagged(code, "server/app.ts") == [2]


@pytest.mark.parametrize(
    ("rel", "subject"),
    [
        ("app/docs/[...slug]/page.tsx", False),
        ("app/docs/[[...slug]]/page.tsx", False),
        ("app/[locale]/page.tsx", False),
        ("app/settings/[tab]/page.tsx", False),
        ("app/posts/[slug]/page.tsx", True),
        ("app/orders/[order_id]/page.tsx", True),
        ("app/orders/[orderID]/page.tsx", True),
    ],
)
def test_which_segments_are_entities(rel: str, subject: bool) -> None:
    check = make_check()
    code = "export default function Page({ params }) { return <h1>{params.x}</h1>; }\n"
    facts = check.extract(SourceFile.from_text(rel, code))
    assert check.is_subject(facts) is subject


def test_options_change_what_counts() -> None:
    code = "export default function Page({ params }) { return <h1>{params.tab}</h1>; }\n"
    rel = "app/settings/[tab]/page.tsx"
    assert flagged(code, rel) == []
    assert flagged(code, rel, entity_pattern="^tab$") == [1]
    assert flagged(INCIDENT, ignored_params=["orderId"]) == []
    shown = (
        "export default function Page({ params }) { showBanner(params.orderId); return null; }\n"
    )
    assert flagged(shown) == []
    assert flagged(shown, display_calls=["showBanner"]) == [1]


@pytest.mark.parametrize("verdict", ["bad", "good"])
def test_example_trees(verdict: str) -> None:
    check_example_tree(EXAMPLES_DIR / verdict, LESSON_ID)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(list("{}()[]<>`$;:=.,'\"/ \nparmsidOrdeqxuwat!?")), max_size=200
    )
)
def test_never_raises_on_arbitrary_source(text: str) -> None:
    run("export default function Page({ params }) {\n" + text, PAGE)
    run("export async function GET(req, { params }) {\n" + text, ROUTE)


def test_handlers_that_hand_the_request_on_delegate_the_lookup() -> None:
    delegating = """\
    export default async function handler(req, res) {
      const session = await getServerSession(req, res, authOptions);
      if (!session) return res.status(401).end();
      switch (req.method) {
        case "GET":
          return await handleGet(req, res);
        default:
          return res.status(405).end();
      }
    }
    """
    assert flagged(delegating, "pages/api/orders/[orderId].ts") == []
    gatekeeper_only = """\
    export default async function handler(req, res) {
      const session = await getServerSession(req, res, authOptions);
      res.json(await listOrders(session.user.id));
    }
    """
    assert flagged(gatekeeper_only, "pages/api/orders/[orderId].ts") == [1]


def test_one_function_serving_several_methods_is_one_finding() -> None:
    code = """\
    export default async function handler(req, res) {
      if (req.method === "GET") return res.json(await listOrders());
      if (req.method === "DELETE") return res.json(await clearOrders());
      res.status(405).end();
    }
    """
    findings = run(code, "pages/api/orders/[orderId].ts")
    assert len(findings) == 1
    assert findings[0].message.startswith(
        "URL parameter `orderId` of GET/DELETE /api/orders/[orderId] is never read"
    )


def test_data_functions_re_exported_from_elsewhere_do_the_lookup() -> None:
    code = """\
    export { getStaticProps, getStaticPaths } from "./index";
    export default function Embed() {
      const router = useRouter();
      analytics.capture("embed", { linkId: router.query.linkId });
      return null;
    }
    """
    assert flagged(code, "pages/view/[linkId]/embed.tsx") == []
    assert flagged(
        code.replace("export { getStaticProps, getStaticPaths } from", "import"),
        "pages/view/[linkId]/embed.tsx",
    ) == [4]


def test_get_server_side_props_passes_the_id_to_the_component_by_name() -> None:
    code = """\
    export default function Page({ orderId, order }) {
      return <h1>{orderId} {order.total}</h1>;
    }
    export async function getServerSideProps({ params }) {
      const order = await getLatestOrder();
      return { props: { orderId: params.orderId, order } };
    }
    """
    assert flagged(code, "pages/orders/[orderId].tsx") == [6]
    used = code.replace("<h1>{orderId} {order.total}</h1>", "<OrderView orderId={orderId} />")
    assert flagged(used, "pages/orders/[orderId].tsx") == []


def test_effect_dependencies_and_jsx_spread() -> None:
    effect = """\
    export default function Page({ params }) {
      useEffect(() => { console.log(params.orderId); }, [params.orderId]);
      return null;
    }
    """
    assert flagged(effect) == [2]
    spread = "export default function Page({ params }) { return <OrderView {...params} />; }\n"
    assert flagged(spread) == []
    html_spread = "export default function Page({ params }) { return <div {...params} />; }\n"
    assert flagged(html_spread) == [1]


def test_nested_destructuring_in_the_signature_and_promise_all() -> None:
    nested = """\
    export default async function Page({ params: { orderId } }) {
      console.log(orderId);
      return <p>{(await getLatest()).total}</p>;
    }
    """
    assert flagged(nested) == [1]
    both = """\
    export default async function Page({ params, searchParams }) {
      const [{ orderId }, { tab }] = await Promise.all([params, searchParams]);
      return <OrderTabs orderId={orderId} tab={tab} />;
    }
    """
    assert flagged(both) == []


def test_joining_a_param_for_display_is_not_a_lookup() -> None:
    """`.join()` derives a value from the id; showing it is still display, not a lookup."""
    code = (
        "export default function Page({ params }: { params: { orderId: string[] } }) {\n"
        '  const title = params.orderId.join("/");\n'
        "  return <h1>{title}</h1>;\n"
        "}\n"
    )
    assert flagged(code, rel="app/orders/[orderId]/page.tsx") == [2]


# --- issue 11, item 1: a page or layout under the id that never reads it --------------------

NEVER_READ = """\
export default async function ReorderPage() {
  const session = await getSession();
  const order = await getLastEssentialByUserId(session.userId);
  return <Reorder product={order.product} />;
}
"""


def test_a_page_that_never_takes_params_but_loads_by_the_user_is_flagged() -> None:
    assert only_message(NEVER_READ) == (
        "URL parameter `orderId` of page /reorder/[orderId] is never read; data is fetched by "
        "`getLastEssentialByUserId(session.userId)` instead"
    )


@pytest.mark.parametrize(
    "lookup",
    [
        "await db.order.findFirst({ where: { userId: session.user.id } })",  # the entity, by user
        "await getLatestOrder()",  # "the latest"
        'useSWR("/api/me/orders/last")',  # a key naming the user's own
        "await prisma.order.findFirst({ orderBy: { createdAt: 'desc' } })",  # the entity, no id
    ],
)
def test_what_counts_as_loading_by_another_key(lookup: str) -> None:
    code = f"export default async function P() {{\n  const x = {lookup};\n  return x;\n}}\n"
    assert flagged(code) == [1]


@pytest.mark.parametrize(
    ("rel", "code"),
    [
        # loads nothing: a child or a hook reads the id
        (PAGE, "export default function P() { return <OrderView />; }\n"),
        # loads by a value a hook returned, which may well come from the URL
        (PAGE, "export default function P() { const o = useOrder(); return getOrder(o.id); }\n"),
        # loads something unrelated to the entity, not by the user
        (
            PAGE,
            "export default async function P() { return <F flags={await getFlags('en')} />; }\n",
        ),
        # not the page's own folder: /[slug]/settings shows the user's own settings
        (
            "app/[slug]/settings/page.tsx",
            "export default async function P() {\n"
            "  const s = await getSession();\n"
            "  return <S v={await getUserSettings(s.user.id)} />;\n"
            "}\n",
        ),
        # handing params on whole
        (PAGE, "export default async function P({ params }) { return getPage(await params); }\n"),
    ],
)
def test_pages_that_never_read_the_id_and_stay_quiet(rel: str, code: str) -> None:
    assert flagged(code, rel) == []


def test_a_layout_under_the_id_is_judged_like_its_page() -> None:
    layout = NEVER_READ.replace("ReorderPage()", "Layout({ children })")
    findings = run(layout, "app/reorder/[orderId]/layout.tsx")
    assert [(f.line, f.column) for f in findings] == [(1, 1)]
    assert "of layout /reorder/[orderId] is never read" in findings[0].message
    quiet = "export default function Layout({ children }) { return <main>{children}</main>; }\n"
    assert flagged(quiet, "app/reorder/[orderId]/layout.tsx") == []
    assert flagged(layout, "app/reorder/layout.tsx") == []  # no id in its folders


def test_a_page_shell_also_served_without_the_id_is_quiet() -> None:
    check = make_check()
    alone = judge_files(check, {PAGE: NEVER_READ})
    assert [f.line for f in alone] == [1]
    shell = {
        PAGE: NEVER_READ,
        "app/reorder/page.tsx": 'export { default } from "./[orderId]/page";\n',
    }
    assert judge_files(check, shell) == []
    imported = {
        PAGE: NEVER_READ,
        "app/reorder/page.tsx": 'import Page from "./[orderId]/page";\nexport default Page;\n',
    }
    assert judge_files(check, imported) == []


# --- issue 11, item 3: two ids in one path never tied together ------------------------------

TWO = "app/api/websites/[websiteId]/segments/[segmentId]/route.ts"
UNTIED = """\
export async function GET(request, { params }) {
  const { websiteId, segmentId } = await params;
  if (!(await canViewWebsite(auth, websiteId))) return unauthorized();
  const segment = await getSegment(segmentId);
  return json(segment);
}
"""


def test_two_ids_checked_and_loaded_apart_are_flagged_at_the_lookup() -> None:
    findings = run(UNTIED, TWO)
    assert [(f.line, f.column) for f in findings] == [(4, 25)]
    assert findings[0].message == (
        "URL parameters `websiteId` and `segmentId` of GET "
        "/api/websites/[websiteId]/segments/[segmentId] are never tied together: `websiteId` "
        "is checked or loaded (`canViewWebsite(auth, websiteId)`), but the record is looked up "
        "by `segmentId` alone (`getSegment(segmentId)`), so a record under any other "
        "`websiteId` passes the same check; look it up by both, or compare its `websiteId` "
        "with the URL's"
    )


@pytest.mark.parametrize(
    "tie",
    [
        "const segment = await getWebsiteSegment(websiteId, segmentId);",
        "const segment = await db.segment.findFirst({ where: { id: segmentId, websiteId } });",
        "const segment = await getSegment(segmentId);\n"
        "  if (segment.websiteId !== websiteId) return notFound();",
        "const segment = await supabase.from('segments').select().eq('id', segmentId)"
        ".eq('website_id', websiteId);",
    ],
)
def test_two_ids_looked_up_together_or_compared_are_tied(tie: str) -> None:
    code = UNTIED.replace("const segment = await getSegment(segmentId);", tie)
    assert flagged(code, TWO) == []


def test_ties_are_transitive_and_parallel_lookups_do_not_tie() -> None:
    chain = """\
    export async function GET(request, { params }) {
      const { teamId, projectId, taskId } = await params;
      await assertMember(teamId);
      const project = await db.project.findFirst({ where: { id: projectId, teamId } });
      const task = await db.task.findFirst({ where: { id: taskId, projectId: project.id } });
      return Response.json(task);
    }
    """
    path = "app/api/teams/[teamId]/projects/[projectId]/tasks/[taskId]/route.ts"
    assert flagged(chain, path) == []
    parallel = """\
    export async function GET(request, { params }) {
      const { websiteId, segmentId } = await params;
      const [website, segment] = await Promise.all([getWebsite(websiteId), getSegment(segmentId)]);
      return Response.json({ website, segment });
    }
    """
    assert flagged(parallel, TWO) == [3]


def test_an_id_only_used_to_redirect_or_read_by_a_wrapper_is_not_a_check() -> None:
    redirect = """\
    export default async function Page({ params }) {
      const { websiteId, segmentId } = await params;
      if (!websiteId) redirect(`/${websiteId}/segments`);
      return <Segment value={await getSegment(segmentId)} />;
    }
    """
    assert flagged(redirect, "app/websites/[websiteId]/segments/[segmentId]/page.tsx") == []
    wrapped = """\
    export const GET = withWebsite(async ({ params, website }) => {
      return Response.json(await getSegment(params.segmentId));
    });
    """
    assert flagged(wrapped, TWO) == []


# --- issue 11, item 2: the URL id authorises, another id writes -----------------------------

TEAM = "app/api/teams/[teamId]/sso/route.ts"
BODY_KEYED = """\
export async function DELETE(request, { params }) {
  const { teamId } = await params;
  await requireTeamAdmin(teamId);
  const { clientId } = await request.json();
  await sso.deleteConnection({ clientId });
  return Response.json({ ok: true });
}
"""


def test_a_write_keyed_by_the_body_after_checking_the_url_id_is_flagged() -> None:
    findings = run(BODY_KEYED, TEAM)
    assert [(f.line, f.column) for f in findings] == [(5, 9)]
    assert findings[0].message == (
        "DELETE /api/teams/[teamId]/sso uses URL parameter `teamId`, then writes a record keyed "
        "by the request body instead (`{ clientId }` in `sso.deleteConnection({ clientId })`): "
        "the URL id does not decide which record changes; key the write by `teamId` too, or "
        "check the body's record against it first"
    )


@pytest.mark.parametrize(
    ("before", "write"),
    [
        # the body's record compared with the URL's team first
        (
            "const c = await sso.getConnection({ clientId });\n"
            "  if (c.tenant !== teamId) return forbidden();",
            "await sso.deleteConnection({ clientId });",
        ),
        # the URL id is part of the key
        ("", "await sso.deleteConnection({ clientId, tenant: teamId });"),
        ("", "await db.connection.delete({ where: { clientId, teamId } });"),
        # keyed by the URL id, the body is only data
        ("", "await db.team.update({ where: { id: teamId }, data: { clientId } });"),
        # a create has no key to get wrong
        ("", "await db.connection.create({ data: { clientId, teamId } });"),
    ],
)
def test_writes_tied_to_the_url_id_are_quiet(before: str, write: str) -> None:
    code = BODY_KEYED.replace(
        "await sso.deleteConnection({ clientId });", f"{before}\n  {write}".strip()
    )
    assert flagged(code, TEAM) == []


def test_spreading_the_body_over_the_loaded_record_is_flagged_only_in_that_order() -> None:
    code = """\
    export async function PUT(request, { params }) {
      const existing = await getNote(params.noteId);
      const body = await request.json();
      await saveNote({ ...existing, ...body });
      await saveNote({ ...existing, id: body.id });
      await saveNote({ ...body, ...existing });
      return Response.json({ ok: true });
    }
    """
    findings = run(code, "app/api/notes/[noteId]/route.ts")
    assert [f.line for f in findings] == [4, 5]
    assert "with the request body spread over it" in findings[0].message


def test_body_read_in_other_ways_and_the_schema_helper_of_umami() -> None:
    code = """\
    export async function POST(request, { params }) {
      const { auth, body } = await parseRequest(request, schema);
      const { reportId } = await params;
      const report = await getReport(reportId);
      if (!report) return notFound();
      await deleteReport(body.otherId);
      return ok();
    }
    """
    assert flagged(code, "app/api/reports/[reportId]/route.ts") == [6]


def test_two_ids_are_tied_through_a_parameter_that_names_no_entity() -> None:
    """From polar: customer and meter each compared with the URL's organization."""
    code = """\
    export default async function Page({ params }) {
      const { organization, customerId, meterId } = await params;
      const org = await getOrganizationBySlug(organization);
      const [customer, meter] = await Promise.all([getCustomer(customerId), getMeter(meterId)]);
      if (customer.organizationId !== org.id || meter.organizationId !== org.id) notFound();
      return <Meter customer={customer} meter={meter} />;
    }
    """
    path = "app/[organization]/customers/[customerId]/meters/[meterId]/page.tsx"
    assert flagged(code, path) == []
    untied = code.replace("customer.organizationId !== org.id || ", "")
    assert flagged(untied, path) == [4]


TEST_SERVER = """\
import express from "express";

export const app = express();
app.get("/orders/:orderId", async (req, res) => {
  const context = await getLogContext();
  res.json({ orderId: req.params.orderId, context });
});
"""
"""A server a test builds: the id is only echoed while the data comes from elsewhere."""


@pytest.mark.parametrize(
    ("rel", "is_test"),
    [
        ("src/__tests__/logging.ts", True),
        ("src/server/logging.test.ts", True),
        ("e2e/orders.spec.tsx", True),
        ("src/__mocks__/server.js", True),
        ("src/server/orders.ts", False),
        ("src/test/orders.ts", False),
    ],
)
def test_routes_declared_in_test_files_are_not_served(rel: str, is_test: bool) -> None:
    assert flagged(TEST_SERVER, rel) == ([] if is_test else [6])


TEAM_DOC = """\
export default async function handler(req, res) {
  const session = await getServerSession(req, res, authOptions);
  const userId = session.user.id;
  const { teamId, docId } = req.query;
  const team = await prisma.team.findFirst({
    where: { id: teamId, members: { some: { userId } } },
  });
  if (!team) return res.status(403).end();
  LOOKUP
  return res.json(doc);
}
"""
"""A team check by one id, then the document by the other: the caller shapes replace LOOKUP."""
TEAM_DOC_ROUTE = "pages/api/teams/[teamId]/docs/[docId].ts"


@pytest.mark.parametrize(
    "lookup",
    [
        # the record's own team must count the caller among its members (papermark's preview)
        "const doc = await prisma.doc.findUnique({ where: { id: docId }, "
        "include: { team: { include: { members: { where: { userId } } } } } });\n"
        "  if (!doc || doc.team.members.length === 0) return res.status(403).end();",
        # the record's team compared with the caller's teams, through a callback
        "const doc = await prisma.doc.findUnique({ where: { id: docId } });\n"
        "  const mine = await prisma.membership.findMany({ where: { userId } });\n"
        "  if (!mine.some((m) => m.teamId === doc.teamId)) return res.status(403).end();",
        # keyed by the owner
        "const doc = await prisma.doc.findFirst({\n"
        "    where: { id: docId, ownerId: session.user.id },\n"
        "  });",
        # keyed by the team the caller was checked against (tied to the URL's id as before)
        "const doc = await prisma.doc.findFirst({ where: { id: docId, teamId: team.id } });",
    ],
)
def test_a_record_checked_against_the_caller_needs_no_parent_id(lookup: str) -> None:
    assert flagged(TEAM_DOC.replace("LOOKUP", lookup), TEAM_DOC_ROUTE) == []


@pytest.mark.parametrize(
    "lookup",
    [
        "const doc = await prisma.doc.findUnique({ where: { id: docId } });",
        # the caller is written next to the record, not checked against it
        "const doc = await prisma.doc.findUnique({ where: { id: docId } });\n"
        "  await prisma.docView.create({ data: { docId, userId } });",
        "const doc = await prisma.doc.findUnique({ where: { id: docId } });\n"
        "  console.info(`doc ${doc.id} opened by ${userId}`);",
    ],
)
def test_a_record_never_checked_against_the_caller_is_still_untied(lookup: str) -> None:
    message = only_message(TEAM_DOC.replace("LOOKUP", lookup), TEAM_DOC_ROUTE)
    assert message.startswith("URL parameters `teamId` and `docId` of ANY /api/teams/[teamId]/docs")

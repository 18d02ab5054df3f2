"""`url-id-lookup`: an entity id in the URL that never becomes the lookup key.

The reorder deep link `/reorder/[orderId]` showed the order id and fetched
`getLastEssentialByUserId(session.userId)`: the id was decoration. This check takes every route
handler and page whose path carries a dynamic segment naming an entity (by default `id`, `slug`,
`uuid`, or a name ending in `Id`/`ID`/`_id`/`Slug`; `[locale]`-like names and catch-all segments
`[...slug]` are out of scope) and follows the parameter's value (`typescript_flow`) to see whether
it reaches a call that is not display, logging, telemetry or a response body.

Decisions:

- **Finding position**: the parameter's first read (`const { orderId } = await params`), the line
  a reviewer has to change; a parameter never read is reported at the page or handler itself.
- **Never-used parameters** (never read, or read only for a check like `if (!id)` or
  `id === "new"`) are reported only for a route handler's *last* dynamic segment, and not for
  handlers wrapped by a function (`withWorkspace(handler)` reads `params` itself). A page or an
  App Router layout is reported for this only when the id is its own folder's (`/orders/
  [orderId]/page.tsx`, not `/[slug]/settings/page.tsx`) and it loads that entity by another
  key: by the session's user, "the latest", or the entity without any id
  (`lookups_by_another_key`), with nothing but literals and the user's identity as arguments.
  Anything else may be a shell whose child component or hook reads the id with `useParams()`
  (`usePartnerBounty()` in dub), which a per-file look cannot see; and a page whose component is
  also served at a URL without the id (`app/orders/page.tsx` re-exporting it) is such a shell.
  Parent segments (`[workspaceSlug]` above `[projectId]`) are usually checked by a layout or
  wrapper. A page *is* reported when it reads the id and only displays, logs or echoes it: the
  incident's shape.
- **Two ids, or the URL id and the body's** (`typescript_ties`): a handler or page that uses
  two ids of its path (a check by one, a lookup by the other) and never looks them up together
  or compares them is reported at the lookup of the last one, unless the record is checked
  against the caller itself (its lookup filtered by the session's user, or its team compared
  with the caller's teams: papermark's document preview), which refuses another team's record
  whichever team the URL names; a handler that uses its URL id
  and then writes a record keyed by an id from the request body alone (or spreads the body over
  the record it loaded) is reported at the write.
- **Child components and custom hooks are not followed**: handing the id to a capitalised
  component as a prop, or to any call that is not display/logging/telemetry, counts as a use.
  Precision first: a child that only displays it is missed, by choice.
- **Response bodies** (`res.json({ orderId })`, `NextResponse.json`) are display: echoing the id
  back is not looking anything up.
- A handler that hands its request on (`return handleRoute(req, res)`) delegates the lookup,
  and a page that re-exports `getStaticProps`/`getServerSideProps` from another module looks
  up there: both count as a use.
- `OPTIONS`/`HEAD` handlers (CORS preflight, existence checks) are not judged, and neither is a
  handler that loads nothing (`loads_nothing`): one whose every call is known to be inert (the
  session check, logging, answering, parsing) cannot load the wrong record, whatever it does
  with the id (papermark's retired `POST .../datarooms/[id]/users` answers 404 after the
  session check). Any other call counts as data access, so an unknown helper keeps it judged.
  Pages are not exempted this way: a page that shows only the id is the incident's heading.
- Handlers imported from another module are not analysed (their body is elsewhere).

Python (FastAPI, Starlette, Flask; routes from `pytest_lessons.lang.python.routes`, the flow from
`python_flow`, the joining from `python_params`) follows the same rules, judged over all
files at once: a path parameter may come from a router prefix in another module, and may be
received by a dependency in another module that declares the same name (FastAPI resolves it
there too), so the verdict of a parameter is the strongest of the handler and every dependency
it reaches. A parameter only used in a permission check (`check_access(user, order_id)`,
`order_id in allowed`) while the handler fetches its data by another key is reported too, for
the last segment; a permission check whose result is kept (`order = ensure_owner(...)`) is a
lookup. The position is the first read in the handler, else the handler's parameter, else the
`def`. Never-read parameters are not reported when a decorator wraps the handler, the request is
handed to another call, a dependency cannot be followed (a library's), or a Flask view does not
declare the parameter (a `url_value_preprocessor` consumed it). A stub is not judged at all: a
handler whose body only raises, logs, imports or returns a literal (a retired endpoint that
logs the call and answers 410 Gone) loads nothing, so it cannot load the wrong record. Neither
is a page shell, a view that returns a template or a file with nothing but literals and the
request (`templates.TemplateResponse(request, name="share.html")`): its page's script reads the
id, as a TypeScript page that loads nothing is left alone.

Test files are not read (`pytest_lessons.lang.common.test_files`: `tests/`, `test_*.py`,
`conftest.py`, `__tests__/`, `*.test.ts`, ...): an app a test builds to exercise a middleware,
or a handler exported for a test to call, is served to nobody, so an id it echoes is not the
incident. `worker-route-auth` draws the same line, and lessons that are not about served routes
still read tests.
"""

from __future__ import annotations

from pytest_lessons.checks.base import ByHalf, Check
from pytest_lessons.checks.url_id_lookup.options import UrlIdLookupOptions
from pytest_lessons.checks.url_id_lookup.python import PythonHalf
from pytest_lessons.checks.url_id_lookup.typescript import ParamUse, TypeScriptHalf

__all__ = ["ParamUse", "UrlIdLookup", "UrlIdLookupOptions"]


class UrlIdLookup(Check[UrlIdLookupOptions, ByHalf]):
    options_model = UrlIdLookupOptions
    halves = (PythonHalf, TypeScriptHalf)
    shares_facts = "routes"
    version = 4

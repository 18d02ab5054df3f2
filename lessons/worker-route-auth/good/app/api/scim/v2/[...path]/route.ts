// The identity provider's SCIM calls are handed whole to SAML Jackson's directory sync, bearer
// token included: the library compares it with the directory's secret before it creates or
// removes anyone, and answers 401 itself.
import { directory } from "@/lib/directory";

async function scim(req: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const [directoryId, resource, resourceId] = (await params).path;
  const controller = await directory();
  const { status, data } = await controller.requests.handle(
    {
      method: req.method,
      body: req.method === "GET" ? undefined : await req.json(),
      directoryId,
      resourceId,
      resourceType: resource === "Groups" ? "groups" : "users",
      apiSecret: req.headers.get("authorization")?.split(" ")[1] ?? null,
      query: {},
    },
    async () => undefined,
  );
  return Response.json(data, { status });
}

export { scim as GET, scim as POST, scim as PUT };

// A home-made SCIM endpoint with the same call shape as a directory-sync library, but the
// table it hands the request to is the app's own and never looks at the bearer token: anyone
// can provision or remove members.
import { db } from "@/lib/db";

const directory = {
  requests: {
    handle: async (request: { method: string; body: unknown }) => {
      await db.insert("members", { change: request.body });
      return { status: 200, data: { ok: true } };
    },
  },
};

async function scim(req: Request) {
  const { status, data } = await directory.requests.handle({
    method: req.method,
    body: await req.json(),
  });
  return Response.json(data, { status });
}

export { scim as POST }; // lessons: expect[worker-route-auth]

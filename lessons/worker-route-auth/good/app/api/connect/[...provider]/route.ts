// An OAuth integration whose callback stores tokens only for the signed-in user: the session
// check sits in the callback the route runs.
import { getSession } from "@/lib/auth";
import { db } from "@/lib/db";
import { oauthIntegration } from "@/lib/oauth";

const { handler } = oauthIntegration({
  basePath: "/api/connect",
  onConnect: async (tokens: { access: string }) => {
    const session = await getSession();
    if (!session) {
      throw new Error("not signed in");
    }
    await db.insert("credentials", { userId: session.userId, tokens });
  },
});

export const GET = handler;
export const POST = handler;

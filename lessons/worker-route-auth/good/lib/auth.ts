import { getServerSession } from "next-auth";

type Handler = (req: Request, userId: string) => Promise<Response>;

export function withAuth(handler: Handler) {
  return async (req: Request) => {
    const session = await getServerSession();
    if (!session?.user) return new Response("Unauthorized", { status: 401 });
    return handler(req, session.user.id);
  };
}

export async function getSession(): Promise<{ userId: string } | null> {
  const session = await getServerSession();
  return session?.user ? { userId: session.user.id } : null;
}

import { cookies } from "next/headers";

export type Session = { userId: string };

export async function getSession(): Promise<Session | null> {
  const token = (await cookies()).get("ozi_session")?.value;
  if (!token) return null;
  const response = await fetch(`${process.env.AUTH_URL}/session`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.ok ? ((await response.json()) as Session) : null;
}

// Checks a team membership through an external service: not recognisable by name, so it is
// declared in `auth-helpers`.
export async function assertTeamMember(req: Request): Promise<void> {
  const res = await fetch("https://teams.example.com/check", { headers: req.headers });
  if (!res.ok) throw new Error("not a member");
}

import { createClient } from "@/lib/supabase/server";

export default async function TeamPage({ params }: { params: { teamId: string } }) {
  const supabase = createClient();
  const { data: team } = await supabase.from("teams").select("*").eq("id", params.teamId).single();
  return <h1>{team?.name}</h1>;
}

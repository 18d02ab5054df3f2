// Not the page's own segment: /projects/[projectId]/settings shows the user's own preferences,
// and the project id is for the layout and the tabs above.
import { auth } from "@/lib/auth";
import { getPreferencesForUser } from "@/lib/preferences";

export default async function ProjectSettingsPage() {
  const session = await auth();
  const preferences = await getPreferencesForUser(session.user.id);
  return <pre>{JSON.stringify(preferences)}</pre>;
}

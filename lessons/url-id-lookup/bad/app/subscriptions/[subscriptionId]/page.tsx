// The incident without the heading: the page never takes `params` at all and shows the
// signed-in user's current subscription, whichever one the link named.
import { auth } from "@/lib/auth";
import { getCurrentSubscription } from "@/lib/billing";

// lessons: expect[url-id-lookup]
export default async function SubscriptionPage() {
  const session = await auth();
  const subscription = await getCurrentSubscription(session.user.id);
  return <h1>{subscription.plan}</h1>;
}

import type { NextApiRequest, NextApiResponse } from "next";
import { PostHog } from "posthog-node";
import { CartEvent } from "@/lib/cart-events";
import { abandonCart } from "@/lib/cart-flow";

const client = new PostHog(process.env.POSTHOG_KEY!);

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  // lessons: expect[single-emission-source]
  await client.captureImmediate({ distinctId: req.body.userId, event: CartEvent.CheckoutStarted });
  abandonCart();
  res.status(200).json({ ok: true });
}

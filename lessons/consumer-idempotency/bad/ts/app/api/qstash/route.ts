import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";
import { Resend } from "resend";

const resend = new Resend(process.env.RESEND_API_KEY);

async function handler(req: Request) {
  const { email, orderId } = await req.json();
  await resend.emails.send({ from: "shop@example.com", to: email, subject: `Order ${orderId}` }); // lessons: expect[consumer-idempotency]
  return new Response("ok");
}

export const POST = verifySignatureAppRouter(handler);

import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";
import { Redis } from "@upstash/redis";

const redis = Redis.fromEnv();

export const POST = verifySignatureAppRouter(async (req: Request) => {
  const messageId = req.headers.get("Upstash-Message-Id")!;
  const fresh = await redis.set(`done:${messageId}`, 1, { nx: true, ex: 86400 });
  if (!fresh) return new Response("duplicate");
  await fetch(process.env.WEBHOOK_URL!, { method: "POST", body: await req.text() });
  return new Response("ok");
});

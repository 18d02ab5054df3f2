import type { MiddlewareHandler } from "hono";

export const withRequestId: MiddlewareHandler = async (c, next) => {
  c.set("requestId", crypto.randomUUID());
  await next();
};

export const withApiKey: MiddlewareHandler = async (c, next) => {
  if (c.req.header("x-api-key") !== process.env.EXPENSES_API_KEY) {
    return c.json({ error: "unknown caller" }, 401);
  }
  await next();
};

export const apiMiddleware: MiddlewareHandler[] = [withRequestId, withApiKey];

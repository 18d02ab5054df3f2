import express from "express";
import { Hono } from "hono";
import { posthog } from "@/lib/posthog";
import { track } from "@/lib/track";

const router = express.Router();

router.post("/orders", async (req, res) => {
  const order = { id: "o1", ...req.body };
  try {
    await posthog.captureImmediate({ distinctId: order.id, event: "order_created" });
  } catch (error) {
    console.warn("posthog unavailable", error);
  }
  res.status(201).json(order);
});

export const app = new Hono();

app.post("/orders", async (c) => {
  const order = await c.req.json();
  await track(order.id, "order_created");
  await Promise.allSettled([posthog.flush()]);
  return c.json(order, 201);
});

export default router;

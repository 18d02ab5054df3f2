import express from "express";
import { posthog } from "@/lib/posthog";

const router = express.Router();

router.post("/orders", async (req, res) => {
  const order = { id: "o1", ...req.body };
  await posthog.captureImmediate({ distinctId: order.id, event: "order_created" }); // lessons: expect[telemetry-isolation]
  res.status(201).json(order);
});

export default router;

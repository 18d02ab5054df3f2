import express from "express";
import { findLatestOrder } from "./store";

const router = express.Router();

router.get("/orders/:orderId", async (req, res) => {
  const latest = await findLatestOrder(req.user.id);
  res.json({ orderId: req.params.orderId, items: latest.items }); // lessons: expect[url-id-lookup]
});

export default router;

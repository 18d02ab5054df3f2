import { Router } from "express";
import { db } from "../lib/db";

const admin = Router();

admin.post("/refunds", async (req, res) => { // lessons: expect[worker-route-auth]
  await db.insert("refunds", req.body);
  res.json({ ok: true });
});

export default admin;

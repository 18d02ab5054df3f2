import { Router } from "express";
import { db } from "../lib/db";

const admin = Router();

admin.post("/refunds", async (req, res) => {
  await db.insert("refunds", req.body);
  res.json({ ok: true });
});

export default admin;

import express from "express";
import admin from "./admin";
import { db } from "../lib/db";

const app = express();
app.use(express.json());
app.use("/admin", admin);

app.post("/orders", async (req, res) => { // lessons: expect[worker-route-auth]
  await db.insert("orders", req.body);
  res.json({ ok: true });
});

app.get("/orders", async (_req, res) => {
  res.json(await db.select("orders"));
});

app.listen(3000);

import express from "express";
import passport from "passport";
import admin from "./admin";
import { checkSignature, requireApiKey } from "./auth";
import { db } from "../lib/db";

const app = express();

app.get("/health", (_req, res) => res.send("ok"));

app.post("/x", requireApiKey, async (req, res) => {
  await db.insert("x", req.body);
  res.json({ ok: true });
});

app.post("/login-only", passport.authenticate("session"), async (req, res) => {
  await db.insert("y", req.body);
  res.json({ ok: true });
});

app.use("/admin", requireApiKey, admin);

app.use(checkSignature);

app.delete("/orders/:id", async (req, res) => {
  await db.update("orders", { id: req.params.id, deleted: true });
  res.json({ ok: true });
});

app.listen(3000);

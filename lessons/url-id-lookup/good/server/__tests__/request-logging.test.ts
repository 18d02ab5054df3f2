// A server this test builds to see which path ids the request logger records. Nobody is ever
// served it, so the lesson does not read it: the ids are echoed on purpose.
import express from "express";
import request from "supertest";

import { logContext, requestLogger } from "../logging";

const app = express();
app.use(requestLogger);
app.get("/teams/:teamId/members/:memberId", async (req, res) => {
  const context = await logContext();
  res.json({ teamId: req.params.teamId, memberId: req.params.memberId, context });
});

test("path ids reach the log context", async () => {
  const response = await request(app).get("/teams/t1/members/m1");
  expect(response.body.context.memberId).toBe("m1");
});

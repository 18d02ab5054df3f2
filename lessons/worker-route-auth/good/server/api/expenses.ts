import { Hono } from "hono";

const app = new Hono();

app.post("/", async (c) => {
  const expense = await c.req.json();
  return c.json({ recorded: expense }, 201);
});

export { app as expensesRouter };

// The expenses sub-app is mounted before the middleware array is applied: Hono runs a
// middleware only for what is registered after it, so the API key is never asked for.
import { Hono } from "hono";
import { expensesRouter } from "./expenses";
import { apiMiddleware } from "./middleware";

const api = new Hono();

api.route("/expenses", expensesRouter);
api.use(...apiMiddleware);

export { api };

// Every sub-app mounted after `use(...apiMiddleware)` serves behind the API key check the array
// carries, wherever the array is defined.
import { Hono } from "hono";
import { expensesRouter } from "./expenses";
import { apiMiddleware } from "./middleware";

const api = new Hono();

api.use(...apiMiddleware);
api.route("/expenses", expensesRouter);

export { api };

import express from "express";
import { Hono } from "hono";
import { Order } from "./models";

const router = express.Router();

// router.param preloads the order for every route with :orderId.
router.param("orderId", async (req, res, next, orderId) => {
  req.order = await Order.findById(orderId);
  next();
});

router.get("/orders/:orderId", (req, res) => {
  res.json(req.order);
});

router.get("/customers/:customerId", async (req, res) => {
  const customer = await Order.findOne({ customer: req.params.customerId });
  res.json(customer);
});

const app = new Hono();
app.get("/invoices/:id", async (c) => {
  const invoice = await Order.findById(c.req.param("id"));
  return c.json(invoice);
});

export default router;

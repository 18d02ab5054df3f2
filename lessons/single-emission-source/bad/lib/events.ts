export const EVENTS = {
  ORDER_PLACED: "order_placed",
  REORDER_COMPLETED: "reorder_completed",
} as const;

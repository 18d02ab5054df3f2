// Event names of the reorder experiment; order_placed feeds the North Star metric.
export const EVENTS = {
  ORDER_PLACED: "order_placed",
  REORDER_CONVERTED: "reorder_converted",
  REMINDER_SENT: "reminder_sent",
} as const;

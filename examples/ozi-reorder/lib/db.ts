export type Order = { id: string; userId: string; productName: string; createdAt: string };

const orders: Order[] = [];
const reminders: { userId: string; orderId: string; cohort: string }[] = [];

export async function getOrderById(orderId: string): Promise<Order | undefined> {
  return orders.find((order) => order.id === orderId);
}

// The fallback the page reached for: "the user's latest essential order", whatever was clicked.
export async function getLastEssentialByUserId(userId: string): Promise<Order | undefined> {
  return orders.filter((order) => order.userId === userId).at(-1);
}

export async function insertReminder(userId: string, orderId: string, cohort: string) {
  reminders.push({ userId, orderId, cohort });
}

export async function usersDueForReminder(): Promise<{ userId: string; orderId: string }[]> {
  return orders.map((order) => ({ userId: order.userId, orderId: order.id }));
}

export async function createOrder(userId: string, fromOrderId: string): Promise<Order> {
  const order = { id: crypto.randomUUID(), userId, productName: fromOrderId, createdAt: "" };
  orders.push(order);
  return order;
}

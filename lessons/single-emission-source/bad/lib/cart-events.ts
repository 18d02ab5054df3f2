// Event names as a substitution-free template literal, plain `const` bindings and a TS enum,
// imported by the files that send them.
export const CART_VIEWED = `cart_viewed`;
export const SIGNUP_COMPLETED = "signup_completed";

export enum CartEvent {
  ItemAdded = "cart_item_added",
  CheckoutStarted = "checkout_started",
}

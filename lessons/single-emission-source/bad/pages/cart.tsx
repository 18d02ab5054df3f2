import mixpanel from "mixpanel-browser";
import * as amplitude from "@amplitude/analytics-browser";
import { usePostHog } from "posthog-js/react";
import { CART_VIEWED, CartEvent } from "@/lib/cart-events";
import { abandonCart } from "@/lib/cart-flow";
import { SignupBanner } from "@/components/SignupBanner";

// A Pages Router page: no 'use client', yet it is hydrated and runs in the browser.
export default function CartPage() {
  const ph = usePostHog();
  const addItem = () => {
    mixpanel.track(CartEvent.ItemAdded); // lessons: expect[single-emission-source]
    amplitude.track(CART_VIEWED); // lessons: expect[single-emission-source]
    amplitude.logEvent(CartEvent.ItemAdded); // lessons: expect[single-emission-source]
  };
  return (
    <div>
      <button onClick={addItem}>Add</button>
      <button onClick={() => abandonCart()}>Leave</button>
      {/* lessons: expect[single-emission-source] */}
      <button onClick={() => ph?.capture(CartEvent.CheckoutStarted)}>Checkout</button>
      <SignupBanner />
    </div>
  );
}

import { SIGNUP_COMPLETED } from "@/lib/cart-events";

declare function sendEvent(name: string, properties?: object): void;

// A Pages Router component: no signal of its own, client code because only pages/cart.tsx
// imports it. `sendEvent` is an extra emitter configured in pyproject.toml.
export function SignupBanner() {
  const onSignup = () => {
    sendEvent(SIGNUP_COMPLETED); // lessons: expect[single-emission-source]
  };
  return <button onClick={onSignup}>Sign up</button>;
}

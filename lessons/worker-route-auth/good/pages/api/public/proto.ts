// Next.js needs a default export here; it is never meant to be called.
export default function handler() {
  throw new Error("This endpoint should not be called directly");
}

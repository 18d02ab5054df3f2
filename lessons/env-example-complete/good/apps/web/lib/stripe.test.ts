export const key = process.env.STRIPE_TEST_ONLY_KEY;

export const authConfig = { secret: process.env.AUTH_SECRET };

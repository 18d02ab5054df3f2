// Auth.js v5: the project's own `auth()` comes from NextAuth(...).
import NextAuth from "next-auth";

export const { auth, handlers } = NextAuth({ providers: [] });

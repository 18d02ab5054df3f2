// Next 16 renamed middleware.ts to proxy.ts; this one rejects unauthenticated API calls.
import { NextResponse, type NextRequest } from "next/server";

export function proxy(req: NextRequest) {
  if (req.headers.get("x-portal-key") !== process.env.PORTAL_API_KEY) {
    return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  }
  return NextResponse.next();
}

export const config = { matcher: "/api/:path*" };

// Without the key the form answers 503 in production: the feature is off, not defaulted.
export async function POST(request: Request) {
  if (!process.env.APP_CRM_API_KEY) { // lessons: expect[env-example-complete]
    console.error("the CRM key is not configured");
    return Response.json({ error: "not configured" }, { status: 503 });
  }
  const body = await request.json();
  return fetch("https://crm.example.com/leads", {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.APP_CRM_API_KEY}` },
    body: JSON.stringify(body),
  });
}

import samlJackson from "@boxyhq/saml-jackson";

export async function directory() {
  const { directorySyncController } = await samlJackson({
    externalUrl: "https://example.test",
    samlPath: "/api/sso/callback",
    db: { engine: "mem" },
  });
  return directorySyncController;
}

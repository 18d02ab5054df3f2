// Read only when set, but the fallback is empty: the feature is silently off.
export const uploads = process.env.APP_UPLOADS_BUCKET // lessons: expect[env-example-complete]
  ? process.env.APP_UPLOADS_BUCKET.trim()
  : "";

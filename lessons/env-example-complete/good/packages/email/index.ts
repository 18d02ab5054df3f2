// Shared package with no example of its own: apps/web runs it and documents SMTP_HOST.
export const smtpHost = process.env.SMTP_HOST;

// tests set their own environment
process.env.CRON_SECRET = "test";
export const fixture = process.env.FIXTURE_DIR;

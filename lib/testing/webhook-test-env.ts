// Imported before anything that reads the configuration (which is read once): a
// webhook receiver on 127.0.0.1 is allowed, as in development, and retries come
// after milliseconds, not the production minutes.
process.env.WEBHOOK_ALLOW_PRIVATE = 'true'
process.env.WEBHOOK_RETRY_BASE_MS = '50'
process.env.WEBHOOK_RETRY_MAX_MS = '200'
process.env.WEBHOOK_TIMEOUT_MS = '2000'

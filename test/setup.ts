// Loaded before every in-process suite: tests run with the cheap scrypt cost, never in production.
process.env.SCRYPT_COST ??= 'test';
process.env.LOG_LEVEL ??= 'silent';

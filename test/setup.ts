// Shared mocha setup: tests never write to the developer's data/ folder and log quietly.
process.env.NODE_ENV = process.env.NODE_ENV ?? 'test';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'error';

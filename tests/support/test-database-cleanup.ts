import { afterAll } from 'vitest';
import { dropTestSchemas } from './test-database.ts';

// Runs after each test file's own hooks: its apps are closed by then.
afterAll(dropTestSchemas);

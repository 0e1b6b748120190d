import { z } from 'zod';

// The page's CSP has no 'unsafe-eval': zod must not compile parsers with `new Function` (nor probe whether it may,
// which the browser reports as a violation). Imported first by main.ts, before any schema is built.
z.config({ jitless: true });

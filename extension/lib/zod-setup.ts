// Extension pages and scripts run under MV3's content security policy, which forbids eval:
// tell zod not to try its `new Function` fast path (it would only log CSP violations).
// Configured through zod's core so that pages using only `zod/mini` stay small.
import { config } from 'zod/v4/core';

config({ jitless: true });

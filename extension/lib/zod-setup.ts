// Extension pages and scripts run under MV3's content security policy, which forbids eval:
// tell zod not to try its `new Function` fast path (it would only log CSP violations).
import { z } from 'zod';

z.config({ jitless: true });

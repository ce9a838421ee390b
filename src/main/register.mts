// The ES module door to the same preload (`node --import pinwatch/register`). It loads the
// CommonJS entry, so both doors share one module instance and one decision.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./register.js');

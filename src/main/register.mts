// The ES module door to the same preload (`node --import pinwatch/register`).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./register.js');

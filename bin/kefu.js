#!/usr/bin/env node
// The `kefu` command. TypeScript sources run through tsx's loader, so there is no build step for the server.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');

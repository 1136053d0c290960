/**
 * @module The server's secret: 32 random bytes in `<home>/server.key` (created on first start,
 * mode 0600), from which separate keys for session tokens and download links are derived (HKDF),
 * so a leaked download link says nothing about session tokens.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerKeys {
  sessionKey: Buffer;
  downloadKey: Buffer;
}

export function readOrCreateServerKeys(home: string): ServerKeys {
  const file = join(home, 'server.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  const master = readFileSync(file);
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, 'lumora-server-v1', info, 32));
  return { sessionKey: derive('session'), downloadKey: derive('download') };
}

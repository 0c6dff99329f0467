import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SEARCH = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'];

function find(name: string): string | undefined {
  for (const d of SEARCH) if (existsSync(`${d}/${name}`)) return `${d}/${name}`;
  return undefined;
}

/**
 * Path of a system binary the tests need. Missing and running as root: installs the Debian
 * package with apt-get. Otherwise fails with one line that says exactly what to install.
 */
export function requireBinary(name: string, debianPackage: string): string {
  const found = find(name);
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `${name} is missing: install it with 'sudo apt-get install -y ${debianPackage}' (or run the tests as root).`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], { stdio: 'ignore', env });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], { stdio: 'ignore', env });
  }
  const after = find(name);
  if (!after) throw new Error(`${name} is still missing after 'apt-get install ${debianPackage}': install it by hand.`);
  return after;
}

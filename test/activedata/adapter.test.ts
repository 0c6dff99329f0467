import { beforeAll, describe, expect, inject, test } from 'vitest';
import { freePort } from '../../src/sim/services/free-port.js';
import { requireBinary } from '../../src/sim/services/require-binary.js';
import {
  ActiveDataError,
  HealthProbe,
  MASK,
  maskSecrets,
  parseStatus,
  remotePath,
  servesCommit,
  Supervisor,
} from '../../src/targets/activedata/index.js';
import { SshHost } from '../../src/targets/ssh/index.js';

const sshd = inject('sshd');
// The "remote host" is this machine: what the frontend has, it needs too.
beforeAll(() => {
  requireBinary('supervisorctl', 'supervisor');
  requireBinary('curl', 'curl');
});
const host = (reuseForMs?: number) =>
  new SshHost({
    host: sshd.host,
    port: sshd.port,
    user: sshd.username,
    privateKeyPath: sshd.privateKeyPath,
    knownHostsPath: sshd.knownHostsPath,
    ...(reuseForMs ? { reuseForMs } : {}),
  });

describe('supervisorctl status, as supervisor 4 prints it', () => {
  test('programs, groups, pids, uptimes and failure words; other lines are not statuses', () => {
    const out = [
      'gunicorn                         RUNNING   pid 2310, uptime 3 days, 0:01:02',
      'flask:flask_00                   RUNNING   pid 17, uptime 0:00:09',
      'active_data                      FATAL     Exited too quickly (process log may have details)',
      'etl                              STARTING  ',
      'unix:///var/run/supervisor.sock no such file',
    ].join('\n');
    expect(parseStatus(out)).toEqual([
      {
        name: 'gunicorn',
        state: 'RUNNING',
        description: 'pid 2310, uptime 3 days, 0:01:02',
        pid: 2310,
        uptimeSeconds: 3 * 86400 + 62,
      },
      { name: 'flask:flask_00', state: 'RUNNING', description: 'pid 17, uptime 0:00:09', pid: 17, uptimeSeconds: 9 },
      { name: 'active_data', state: 'FATAL', description: 'Exited too quickly (process log may have details)' },
      { name: 'etl', state: 'STARTING', description: '' },
    ]);
  });

  test('a supervisord that is not running, over the real sshd: says so, names the host', async () => {
    const sup = new Supervisor(
      host(),
      ['supervisorctl', '-s', 'unix:///nonexistent/opsbot-supervisor.sock'],
      'gunicorn',
    );
    const err = await sup.status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActiveDataError);
    expect((err as Error).message).toMatch(
      /supervisorctl on 127\.0\.0\.1 did not answer \(exit \d+\): .*no such file.*Is supervisord running there\?/,
    );
  });
});

describe('secrets in supervisord.conf', () => {
  test(
    'password keys, secret-looking environment names, URL credentials and command-line options are masked; the ' +
      'rest stays',
    () => {
      const conf = [
        '[program:gunicorn]',
        'command=gunicorn --api-key=abc123 --bind 0.0.0.0:8080 --token "q w" app:app',
        'environment=PORT="8080",SECRET_KEY="hunter2",DB_URL="mysql://u:pw@h/db",',
        '   AWS_SECRET_ACCESS_KEY=abcd,X=1',
        '[inet_http_server]',
        'password = s3cret',
        'username: admin',
        '; password=old-one',
      ].join('\n');
      expect(maskSecrets(conf).split('\n')).toEqual([
        '[program:gunicorn]',
        `command=gunicorn --api-key=${MASK} --bind 0.0.0.0:8080 --token ${MASK} app:app`,
        `environment=PORT="8080",SECRET_KEY="${MASK}",DB_URL="mysql://u:${MASK}@h/db",`,
        `   AWS_SECRET_ACCESS_KEY=${MASK},X=1`,
        '[inet_http_server]',
        `password = ${MASK}`,
        'username: admin',
        `; password=${MASK}`,
      ]);
    },
  );
});

describe('paths, commits, health', () => {
  test("~/ paths are relative to the SSH user's home; other users' homes are refused", () => {
    expect(remotePath('~/ActiveData')).toBe('ActiveData');
    expect(remotePath('/logs/active_data.log')).toBe('/logs/active_data.log');
    expect(() => remotePath('~ec2-user/ActiveData')).toThrow(/only ~\//);
  });

  test('a health answer names a commit by its full sha or a prefix of at least 7', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(servesCommit({ commit: sha }, sha)).toBe(true);
    expect(servesCommit({ commit: '0123456' }, sha)).toBe(true);
    expect(servesCommit({ commit: '012345' }, sha)).toBe(false);
    expect(servesCommit({ commit: 'fedcba9' }, sha)).toBe(false);
    expect(servesCommit({}, sha)).toBe(false);
  });

  test("a health URL nobody answers: curl's words, not an exception", async () => {
    const port = await freePort();
    const answer = await new HealthProbe(host(), `http://127.0.0.1:${port}/__version__`, 2).probe();
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error).toMatch(/Failed to connect|Connection refused/);
  });
});

describe('SSH connection reuse (reuseForMs)', () => {
  const clientPort = async (h: SshHost) => (await h.run(['sh', '-c', 'echo "$SSH_CLIENT"'])).stdout.split(' ')[1];

  test(
    'commands in parallel and in a row share one connection while ' + 'it is kept; without it, each has its own',
    async () => {
      const shared = host(2_000);
      try {
        const ports = await Promise.all([1, 2, 3, 4].map(() => clientPort(shared)));
        ports.push(await clientPort(shared));
        expect(new Set(ports).size).toBe(1);
      } finally {
        shared.close();
      }
      const single = host();
      const ports = [await clientPort(single), await clientPort(single)];
      expect(new Set(ports).size).toBe(2);
    },
  );

  test('after close() the next command connects again', async () => {
    const shared = host(2_000);
    const first = await clientPort(shared);
    shared.close();
    const second = await clientPort(shared);
    shared.close();
    expect(second).not.toBe(first);
  });
});

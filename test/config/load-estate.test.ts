import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadEnv, requireSlackCredentials } from '../../src/config/env.js';
import { loadEstate, parseEstate } from '../../src/config/load-estate.js';

const dir = mkdtempSync(join(tmpdir(), 'opsbot-config-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('estate file', () => {
  test('the annotated example in the repository is valid', () => {
    const estate = loadEstate('opsbot.example.yaml');
    expect(estate.defaultCluster).toBe('prod');
    expect(Object.keys(estate.clusters)).toEqual(['prod', 'staging']);
    expect(estate.clusters.prod!.excludeBy).toBe('_ip');
  });

  test('defaults fill what the runbook implies', () => {
    const e = parseEstate({ defaultCluster: 'prod', clusters: { prod: { url: 'http://localhost:9200' } } });
    expect(e.clusters.prod).toMatchObject({
      excludeBy: '_ip',
      ssh: { user: 'ec2-user', port: 22 },
      commands: { restart: 'sudo systemctl restart elasticsearch' },
    });
    expect(e.approvalTtlMinutes).toBe(30);
  });

  test.each([
    [
      'defaultCluster: prod\nclusters:\n  prod:\n    url: not a url\n',
      /: clusters\.prod\.url: must be the cluster URL/,
    ],
    [
      'defaultCluster: qa\nclusters:\n  prod:\n    url: http://x:9200\n',
      /: defaultCluster: names no cluster \(known: prod\)/,
    ],
    [
      'defaultCluster: prod\nclusters:\n  prod:\n    url: http://x:9200\n    auth: { apiKey: "secret-in-file" }\n',
      /: clusters\.prod\.auth/,
    ],
    [
      'defaultCluster: prod\nclusters:\n  prod:\n    url: http://x:9200\n    urll: typo\n',
      /: clusters\.prod: Unrecognized key: "urll"/,
    ],
    ['defaultCluster: [\n', /not valid YAML/],
  ])('malformed file gives one line naming the file and key', (text, message) => {
    const path = write(`bad-${Math.random()}.yaml`, text);
    let error: Error | undefined;
    try {
      loadEstate(path);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('ConfigError');
    expect(error?.message.startsWith(path)).toBe(true);
    expect(error?.message).toMatch(message);
    expect(error?.message.includes('\n')).toBe(false);
  });

  test('a missing file names the path and the variable', () => {
    expect(() => loadEstate(join(dir, 'absent.yaml'))).toThrow(
      /absent\.yaml: cannot read the estate file \(ENOENT\); set OPSBOT_CONFIG/,
    );
  });
});

describe('environment', () => {
  test('defaults and validation', () => {
    const env = loadEnv({ PORT: '8080', SLACK_BOT_TOKEN: '' });
    expect(env.PORT).toBe(8080);
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
    expect(() => loadEnv({ SLACK_BOT_TOKEN: 'xoxp-user-token' })).toThrow(
      'environment: SLACK_BOT_TOKEN: must be a bot token (xoxb-…)',
    );
    expect(() => loadEnv({ REDIS_URL: 'localhost:6379' })).toThrow(/environment: REDIS_URL: must be redis:\/\//);
  });

  test('missing Slack credentials name the variable', () => {
    expect(() => requireSlackCredentials(loadEnv({}))).toThrow(/^environment: SLACK_BOT_TOKEN is not set/);
    expect(() => requireSlackCredentials(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(
      /^environment: SLACK_SIGNING_SECRET is not set/,
    );
  });
});

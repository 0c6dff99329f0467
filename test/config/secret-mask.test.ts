import { describe, expect, test } from 'vitest';
import { scrubSecrets } from '../../src/log.js';
import { isSecretName, MASK, maskConfig, maskText } from '../../src/secret-mask.js';

// Secret-looking values, built so that no scanner mistakes this file for a leak.
const SLACK_BOT = ['xoxb', '2210', '99887766', 'AbCdEfGhIjKlMnOp'].join('-');
const SLACK_USER = ['xoxp', '2210', '1234', 'zyXwvUT'].join('-');
const SLACK_APP = ['xapp', '1', 'A0123', '98765', 'deadbeef'].join('-');
const AWS_ID = `AKIA${'Z7QRSTUVWXYZ2345'}`;
const AWS_SECRET = `wJalrXUtnFEMI/K7MDENG/${'bPxRfiCYzXAMPLEKEY'}`;
const JWT = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiJhbGljZSJ9'}.sgn4tur3-_x`;
const GITHUB = `ghp_${'a'.repeat(20)}${'B'.repeat(16)}`;

/** Each shape, where it is found, and what stays of it. */
const SHAPES: Array<[string, string, string, string]> = [
  ['Slack bot token', `posting with ${SLACK_BOT} failed`, SLACK_BOT, `posting with ${MASK} failed`],
  ['Slack user token', `token ${SLACK_USER}`, SLACK_USER, `token ${MASK}`],
  ['Slack app token', `socket ${SLACK_APP}`, SLACK_APP, `socket ${MASK}`],
  ['GitHub token', `clone with ${GITHUB}`, GITHUB, `clone with ${MASK}`],
  ['AWS key id', `creds ${AWS_ID} rejected`, AWS_ID, `creds ${MASK} rejected`],
  ['AWS secret after a name', `aws_secret_access_key = ${AWS_SECRET}`, AWS_SECRET, `aws_secret_access_key = ${MASK}`],
  ['AWS secret alone', `pair ${AWS_ID} ${AWS_SECRET}`, AWS_SECRET, `pair ${MASK} ${MASK}`],
  ['JWT', `Authorization header was ${JWT}; refused`, JWT, `Authorization header was ${MASK}; refused`],
  ['Bearer header', `Authorization: Bearer abcdef0123456789`, 'abcdef0123456789', `Authorization: ${MASK}`],
  [
    'URL user and password',
    'GET https://elastic:hunter2@es.internal:9200/_cluster/health',
    'hunter2',
    `GET https://elastic:${MASK}@es.internal:9200/_cluster/health`,
  ],
  [
    'a DSN key as URL user',
    'SENTRY_DSN=https://5f0e1d2c3b4a@o11.ingest.sentry.io/42',
    '5f0e1d2c3b4a',
    `SENTRY_DSN=https://${MASK}@o11.ingest.sentry.io/42`,
  ],
  [
    'password query parameter',
    'fetch https://etl.example/api?user=bob&password=pw9&pretty',
    'pw9',
    `fetch https://etl.example/api?user=bob&password=${MASK}&pretty`,
  ],
  ['token query parameter', 'GET /callback?token=t0k3n HTTP/1.1', 't0k3n', `GET /callback?token=${MASK} HTTP/1.1`],
  [
    'presigned S3 signature',
    'https://b.s3.amazonaws.com/k?X-Amz-Credential=AK%2F1&X-Amz-Signature=abc123&X-Amz-Expires=60',
    'abc123',
    `https://b.s3.amazonaws.com/k?X-Amz-Credential=${MASK}&X-Amz-Signature=${MASK}&X-Amz-Expires=60`,
  ],
  ['sig= and key=', 'https://cdn.example/f?sig=s1g&key=k3y', 's1g', `https://cdn.example/f?sig=${MASK}&key=${MASK}`],
  [
    'Slack webhook URL',
    'notify https://hooks.slack.com/services/T0001/B0002/XXXXsecretYYYY done',
    'XXXXsecretYYYY',
    `notify https://hooks.slack.com/services/${MASK} done`,
  ],
  ['mysql -psecret', 'mysqldump -u etl -ps3cr3t activedata', 's3cr3t', `mysqldump -u etl -p${MASK} activedata`],
  ['mysql -p secret', 'mysql -u etl -p s3cr3t -h db1', 's3cr3t', `mysql -u etl -p ${MASK} -h db1`],
  ['--password=', 'run.sh --password=s3cr3t --verbose', 's3cr3t', `run.sh --password=${MASK} --verbose`],
  ['--api-key VALUE', 'run.sh --api-key 0a1b2c --verbose', '0a1b2c', `run.sh --api-key ${MASK} --verbose`],
  ['*_KEY=', 'export ACTIVEDATA_SECRET_KEY=k-123 PORT=80', 'k-123', `export ACTIVEDATA_SECRET_KEY=${MASK} PORT=80`],
  ['JSON password', '{"user": "etl", "password": "pw\\"9"}', 'pw\\"9', `{"user": "etl", "password": "${MASK}"}`],
  ['YAML api_key', 'api_key: abcdef', 'abcdef', `api_key: ${MASK}`],
  ['clientSecret', 'clientSecret=zz9 region=us', 'zz9', `clientSecret=${MASK} region=us`],
];

describe('the one masker', () => {
  test.each(SHAPES)('%s is masked', (_name, text, secret, masked) => {
    const out = maskText(text);
    expect(out).not.toContain(secret);
    expect(out).toBe(masked);
  });

  test('ordinary text is left alone: node names, ES URLs, commits, index names, paths, ports', () => {
    const lines = [
      '[2026-11-25T12:00:01,002][INFO ][o.e.c.r.a.AllocationService] [es-node-3] Cluster health changed',
      'GET https://es.internal:9200/_cat/allocation?v&format=json&bytes=b took 12ms',
      'deploy 2821b87aa9f0c1d4e5b6a7980c1d2e3f4a5b6c7d on branch main (git@github.com:org/ActiveData.git)',
      'index logs-2026.11.25 shard [3][p] relocating from node-1 to node-2',
      'mkdir -p /var/log/activedata && tail -n 100 /var/log/activedata/app.log',
      'analyzer: standard, tokenizer: whitespace, author: alice, sort: date',
      'http://127.0.0.1:9200 answered 200 in 3 ms',
    ];
    for (const line of lines) expect(maskText(line)).toBe(line);
  });

  test('names: split into words, a name ending in key is one', () => {
    for (const n of [
      'password',
      'DB_PASS',
      'api-key',
      'SECRET_KEY',
      'secretAccessKey',
      'X-Amz-Signature',
      'dsn',
      'key',
    ])
      expect(isSecretName(n), n).toBe(true);
    for (const n of ['tokenizer', 'author', 'keyboard', 'user', 'url', 'passive', 'monkeys', 'host'])
      expect(isSecretName(n), n).toBe(false);
  });

  test('config: secret keys whole, environment lists name by name, shapes in any value, structure kept', () => {
    const conf = [
      '[program:etl]',
      `command=python etl.py --dsn https://abc@sentry.io/1 --hook https://hooks.slack.com/services/T1/B2/c3`,
      'environment=PORT="8080",SLACK_TOKEN="t",SEARCH_URL="https://es:9200/?sig=x"',
      `    GITHUB=${GITHUB}`,
      'username = etl',
      'password_file = /etc/etl/pw',
    ];
    expect(maskConfig(conf.join('\n')).split('\n')).toEqual([
      '[program:etl]',
      `command=python etl.py --dsn https://${MASK}@sentry.io/1 --hook https://hooks.slack.com/services/${MASK}`,
      `environment=PORT="8080",SLACK_TOKEN="${MASK}",SEARCH_URL="https://es:9200/?sig=${MASK}"`,
      `    GITHUB=${MASK}`,
      'username = etl',
      `password_file = ${MASK}`,
    ]);
  });

  test('a long line of spaces or repeated prefixes is masked in linear time (every log line goes through it)', () => {
    // A lookbehind over \s+ made 20 kB of spaces take 4 s (quadratic); 400 kB would take minutes.
    const started = performance.now();
    for (const line of [' '.repeat(400_000), 'Bearer '.repeat(50_000), 'a: '.repeat(100_000), '-p '.repeat(100_000)])
      maskText(`${line}token=${SLACK_BOT}`);
    expect(performance.now() - started).toBeLessThan(5_000); // measured ~0.5 s here; quadratic would be minutes
  });

  test('log redaction is the same masker: [redacted], URL userinfo dropped', () => {
    const line = `connect https://elastic:pw@es:9200 token=${SLACK_BOT} ${JWT} mysql -ps3cr3t`;
    expect(scrubSecrets(line)).toBe('connect https://es:9200 token=[redacted] [redacted] mysql -p[redacted]');
  });
});

import { describe, expect, test } from 'vitest';
import { parseCommand } from '../../src/commands/grammar.js';
import { helpEntries } from '../../src/commands/help.js';
import { tokenize } from '../../src/commands/tokenize.js';

describe('command grammar', () => {
  test('status with and without --cluster', () => {
    expect(parseCommand('/es', 'status')).toMatchObject({
      ok: true,
      command: { name: 'es.status', cluster: undefined },
    });
    expect(parseCommand('/es', 'status --cluster staging')).toMatchObject({
      ok: true,
      command: { name: 'es.status', cluster: 'staging' },
    });
    expect(parseCommand('/es', '  STATUS   --cluster=prod ')).toMatchObject({
      ok: true,
      command: { name: 'es.status', cluster: 'prod' },
    });
  });

  test('empty text and help give help for that slash command', () => {
    expect(parseCommand('/es', '')).toMatchObject({ ok: true, command: { name: 'es.help' } });
    expect(parseCommand('/es', 'help')).toMatchObject({ ok: true, command: { name: 'es.help' } });
    expect(parseCommand('/ops', 'help')).toMatchObject({ ok: true, command: { name: 'ops.help' } });
  });

  test('unknown subcommand is a usage error listing the commands', () => {
    const r = parseCommand('/es', 'destroy everything');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe('unknown command "destroy" for /es');
    expect(r.usage).toContain('/es status [--cluster CLUSTER]');
  });

  test.each([
    ['status --cluster', '--cluster needs a value'],
    ['status --force', 'unknown option --force'],
    ['status extra', 'unexpected "extra"'],
    ['status --cluster a --cluster b', '--cluster given twice'],
    [
      'status --cluster "prod; rm -rf /"',
      'cluster "prod; rm -rf /" is not a valid name (letters, digits, ".", "_", "-")',
    ],
    ['status --cluster $(id)', 'cluster "$(id)" is not a valid name (letters, digits, ".", "_", "-")'],
    ['status "unclosed', 'unclosed double quote'],
  ])('%s → %s', (text, error) => {
    const r = parseCommand('/es', text);
    expect(r).toMatchObject({ ok: false, error });
  });

  test('hostile long input is clipped in the error', () => {
    const r = parseCommand('/es', 'x'.repeat(10_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeLessThan(80);
  });

  test('drain: node argument, --dry-run, --cluster; bad node names never pass', () => {
    expect(parseCommand('/es', 'drain node-3')).toMatchObject({
      ok: true,
      command: { name: 'es.drain', node: 'node-3', dryRun: false, cleanStale: false, cluster: undefined },
    });
    expect(parseCommand('/es', 'drain node-3 --dry-run --cluster prod')).toMatchObject({
      ok: true,
      command: { name: 'es.drain', node: 'node-3', dryRun: true, cleanStale: false, cluster: 'prod' },
    });
    expect(parseCommand('/es', 'drain node-3 node-4 node-3 --fast')).toMatchObject({
      ok: true,
      command: { name: 'es.drain', node: 'node-3', nodes: ['node-3', 'node-4'], fast: true },
    });
    expect(parseCommand('/es', 'drain node-3 --clean-stale')).toMatchObject({
      ok: true,
      command: { cleanStale: true },
    });
    expect(parseCommand('/es', 'drain')).toMatchObject({
      ok: false,
      error: 'missing <node>',
      usage: ['/es drain <node> [<node> ...] [--dry-run] [--clean-stale] [--fast] [--cluster CLUSTER]'],
    });
    expect(parseCommand('/es', 'drain node-3;reboot')).toMatchObject({
      ok: false,
      error: 'node "node-3;reboot" is not a valid name (letters, digits, ".", "_", "-")',
    });
    expect(parseCommand('/es', 'drain --dry-run=yes node-3')).toMatchObject({
      ok: false,
      error: '--dry-run takes no value',
    });
  });

  test('bounce takes several nodes, each a valid name, none twice; allocation takes only its four values', () => {
    expect(parseCommand('/es', 'bounce node-2 node-3')).toMatchObject({
      ok: true,
      command: { name: 'es.bounce', nodes: ['node-2', 'node-3'], cluster: undefined },
    });
    expect(parseCommand('/es', 'bounce')).toMatchObject({ ok: false, error: 'missing <node>' });
    expect(parseCommand('/es', 'bounce node-2 node-2')).toMatchObject({
      ok: false,
      error: 'node "node-2" given twice',
    });
    expect(parseCommand('/es', 'bounce node-2 $(reboot)')).toMatchObject({
      ok: false,
      error: 'node "$(reboot)" is not a valid name (letters, digits, ".", "_", "-")',
    });
    expect(parseCommand('/es', 'allocation off')).toMatchObject({
      ok: false,
      error: '<enable> must be one of none, primaries, new_primaries, all (got "off")',
    });
    expect(parseCommand('/es', 'maintain node-3 --change resize-heap --exclude-spot')).toMatchObject({
      ok: true,
      command: { name: 'es.maintain', node: 'node-3', change: 'resize-heap', excludeSpot: true },
    });
  });

  test('ops: jobs and audit counts are bounded, cancel needs a run id', () => {
    expect(parseCommand('/ops', 'jobs')).toMatchObject({ ok: true, command: { name: 'ops.jobs', count: 15 } });
    expect(parseCommand('/ops', 'audit 500 --run r-abc')).toMatchObject({
      ok: true,
      command: { name: 'ops.audit', count: 200, run: 'r-abc' },
    });
    expect(parseCommand('/ops', 'audit ten')).toMatchObject({ ok: false, error: 'count must be a number (got "ten")' });
    expect(parseCommand('/ops', 'cancel')).toMatchObject({ ok: false, error: 'missing <run>' });
  });

  test('unknown slash command', () => {
    expect(parseCommand('/deploy', 'x')).toMatchObject({ ok: false, error: 'unknown slash command /deploy' });
  });

  test('tokenizer: quotes group words, smart quotes count', () => {
    expect(tokenize(`a "b c" 'd e' f`)).toEqual({ ok: true, words: ['a', 'b c', 'd e', 'f'] });
    expect(tokenize('a \u201Cb c\u201D')).toEqual({ ok: true, words: ['a', 'b c'] });
    expect(tokenize('a ""')).toEqual({ ok: true, words: ['a', ''] });
  });

  test('help has one line per command, marks those that change the estate', () => {
    const es = helpEntries('/es');
    expect(es.map((e) => e.usage)).toEqual([
      '/es status [--cluster CLUSTER]',
      '/es settings [--cluster CLUSTER]',
      '/es recovery [--cluster CLUSTER]',
      '/es shards <node> [--cluster CLUSTER]',
      '/es health [--indices] [--cluster CLUSTER]',
      '/es explain <index> <shard> [--primary] [--cluster CLUSTER]',
      '/es drain <node> [<node> ...] [--dry-run] [--clean-stale] [--fast] [--cluster CLUSTER]',
      '/es undrain <node> [--cluster CLUSTER] [--dry-run]',
      '/es bounce <node> [<node> ...] [--cluster CLUSTER] [--dry-run]',
      '/es rolling-restart [--zone ZONE] [--cluster CLUSTER] [--dry-run]',
      '/es maintain <node> [--change CHANGE] [--exclude-spot] [--fast] [--cluster CLUSTER] [--dry-run]',
      '/es allocation none|primaries|new_primaries|all [--cluster CLUSTER] [--dry-run]',
      '/es exclude-zone <zone> [--cluster CLUSTER] [--dry-run]',
      '/es include-zone <zone> [--cluster CLUSTER] [--dry-run]',
      '/es help',
    ]);
    expect(es.every((e) => e.summary.length > 0)).toBe(true);
    expect(es.filter((e) => !e.changes).map((e) => e.usage.split(' ')[1])).toEqual([
      'status',
      'settings',
      'recovery',
      'shards',
      'health',
      'explain',
      'help',
    ]);
  });
});

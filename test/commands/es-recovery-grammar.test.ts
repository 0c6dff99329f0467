import { describe, expect, test } from 'vitest';
import { parseCommand } from '../../src/commands/grammar.js';
import { helpEntries } from '../../src/commands/help.js';

describe('/es recovery grammar', () => {
  test('with and without --cluster; read-only, with a help line', () => {
    expect(parseCommand('/es', 'recovery')).toMatchObject({
      ok: true,
      changes: false,
      command: { name: 'es.recovery', cluster: undefined },
    });
    expect(parseCommand('/es', 'recovery --cluster prod')).toMatchObject({
      ok: true,
      command: { name: 'es.recovery', cluster: 'prod' },
    });
    const entry = helpEntries('/es').find((e) => e.key === 'es recovery');
    expect(entry).toMatchObject({ usage: '/es recovery [--cluster CLUSTER]', changes: false });
    expect(entry?.summary).toContain('throttles');
  });

  test.each([
    ['recovery node-3', 'unexpected "node-3"'],
    ['recovery --cluster', '--cluster needs a value'],
    ['recovery --active', 'unknown option --active'],
    ['recovery --cluster a --cluster b', '--cluster given twice'],
    ['recovery --cluster "a;id"', 'cluster "a;id" is not a valid name (letters, digits, ".", "_", "-")'],
  ])('%s → %s', (text, error) => {
    const r = parseCommand('/es', text);
    expect(r).toMatchObject({ ok: false, error });
    if (!r.ok) expect(r.usage).toContain('/es recovery [--cluster CLUSTER]');
  });
});

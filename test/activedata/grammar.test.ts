import { describe, expect, test } from 'vitest';
import { parseCommand } from '../../src/commands/grammar.js';
import { helpEntries } from '../../src/commands/help.js';

const parse = (text: string) => parseCommand('/activedata', text);

describe('/activedata grammar', () => {
  test('deploy takes an optional branch name; anything a shell cares about is refused', () => {
    expect(parse('deploy')).toMatchObject({ ok: true, command: { name: 'activedata.deploy', branch: undefined } });
    expect(parse('deploy dev')).toMatchObject({ ok: true, command: { name: 'activedata.deploy', branch: 'dev' } });
    const bad = parse('deploy "master; rm -rf /"');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toContain('is not a valid name');
    expect(parse('deploy -f').ok).toBe(false);
  });

  test('rollback needs a commit; restart, status, config take nothing', () => {
    expect(parse('rollback')).toMatchObject({ ok: false, error: 'missing <commit>' });
    expect(parse('rollback 1a2b3c4')).toMatchObject({
      ok: true,
      command: { name: 'activedata.rollback', commit: '1a2b3c4' },
    });
    expect(parse('restart now')).toMatchObject({ ok: false, error: 'unexpected "now"' });
    expect(parse('status')).toMatchObject({ ok: true, command: { name: 'activedata.status' } });
    expect(parse('config')).toMatchObject({ ok: true, command: { name: 'activedata.config' } });
  });

  test('logs: lines bounded, --grep keeps its text as text, --errors picks the error log', () => {
    expect(parse('logs')).toMatchObject({
      ok: true,
      command: { name: 'activedata.logs', lines: 50, grep: undefined, errors: false },
    });
    expect(parse('logs 5000')).toMatchObject({ ok: true, command: { lines: 1000 } });
    expect(parse('logs 20 --grep "; rm -rf / $(id)" --errors')).toMatchObject({
      ok: true,
      command: { name: 'activedata.logs', lines: 20, grep: '; rm -rf / $(id)', errors: true },
    });
    expect(parse('logs --grep=--verbose')).toMatchObject({ ok: true, command: { grep: '--verbose' } });
    expect(parse('logs --grep')).toMatchObject({ ok: false, error: '--grep needs a value' });
    expect(parse('logs --grep "two\nlines"')).toMatchObject({
      ok: false,
      error: '--grep must be one line of printable text',
    });
    expect(parse(`logs --grep ${'x'.repeat(201)}`)).toMatchObject({
      ok: false,
      error: '--grep takes 1 to 200 characters',
    });
  });

  test('help lists every /activedata command, the ones that change the frontend marked', () => {
    const entries = helpEntries('/activedata');
    expect(entries.map((e) => e.usage)).toEqual([
      '/activedata deploy [<branch>] [--dry-run]',
      '/activedata rollback <commit> [--dry-run]',
      '/activedata restart [--dry-run]',
      '/activedata status',
      '/activedata logs [<lines>] [--grep GREP] [--errors]',
      '/activedata config',
      '/activedata help',
    ]);
    expect(entries.filter((e) => e.changes).map((e) => e.usage.split(' ')[1])).toEqual([
      'deploy',
      'rollback',
      'restart',
    ]);
    expect(parse('')).toMatchObject({ ok: true, command: { name: 'activedata.help' } });
  });
});

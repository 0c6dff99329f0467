import { describe, expect, test } from 'vitest';
import {
  disableEtl,
  DISABLED_MARK,
  markedLines,
  restoreEtl,
  etlLines,
  formatBudget,
  parseJsonc,
  readEtlSettings,
  SettingsFileError,
  withBudget,
} from '../../src/targets/spotmanager/index.js';
import { esSettingsText, etlSettingsText } from '../../src/sim/spotmanager/index.js';

const MARKERS = ['run_etl.sh', 'etl_settings.json'];

describe('ETL settings: JSON with // comments, budget edited in place', () => {
  test('reads the budget and the names SpotManager uses', () => {
    expect(readEtlSettings(etlSettingsText({ budget: '0.20' }), 'etl_settings.json')).toEqual({
      budget: 0.2,
      instanceName: 'ActiveData ETL spot instance',
      workQueue: 'active-data-etl',
      maxUtilityPrice: 0.03,
      minimumUtility: 0,
    });
  });

  test(
    'only the number changes: comments, tabs, commented-out entries ' + 'and the trailing comma stay byte for byte',
    () => {
      const before = etlSettingsText({ budget: '1.00' });
      const after = withBudget(before, 2.5, 'f');
      expect(after).toBe(before.replace('"budget": 1.00,', '"budget": 2.50,'));
      expect(after.split('\n').filter((l, i) => l !== before.split('\n')[i])).toEqual([
        '\t"budget": 2.50,  //MAXIMUM SPEND PER HOUR FOR ALL INSTANCES',
      ]);
    },
  );

  test('a nested "budget" and one inside a comment or a string are never the one edited', () => {
    const text =
      '{\n  // "budget": 9.99,\n  "note": "\\"budget\\": 8",\n  "sub": {"budget": 7},\n  "budget": 1.5 // here\n}\n';
    expect(withBudget(text, 0.75, 'f')).toBe(text.replace('"budget": 1.5 //', '"budget": 0.75 //'));
  });

  test('budgets are written with at least two decimals', () => {
    expect([formatBudget(2), formatBudget(2.5), formatBudget(0.125)]).toEqual(['2.00', '2.50', '0.125']);
  });

  test('a malformed file is refused with its line, and a missing budget is named', () => {
    const broken = etlSettingsText().replace('"max_new_utility": 30,', '"max_new_utility": 30,,');
    expect(() => withBudget(broken, 2, 'etl_settings.json')).toThrow(SettingsFileError);
    expect(() => readEtlSettings(broken, 'etl_settings.json')).toThrow(
      /etl_settings.json is not valid JSON \(with \/\/ comments\): line 4/,
    );
    expect(() => readEtlSettings('{"max_new_utility": 30}', 'etl_settings.json')).toThrow(
      /no numeric top-level "budget"/,
    );
    expect(() => withBudget(etlSettingsText(), -1, 'f')).toThrow(/non-negative/);
  });

  test('the stand-in ES settings parse too (they are the file the bot must never edit)', () => {
    expect(parseJsonc(esSettingsText())).toMatchObject({ budget: 2 });
  });
});

describe('SpotManager cron: the ETL line stopped and started, the ES line untouched', () => {
  const crontab = [
    'MAILTO=ops@example.com',
    '# m h  dom mon dow   command',
    '# run_etl.sh is SpotManager for the ETL fleet',
    '*/10 * * * * ~/SpotManager/examples/scripts/run_etl.sh',
    '*/10 * * * * ~/SpotManager/examples/scripts/run_es.sh',
    '',
  ].join('\n');

  test('finds only the ETL entry (prose that mentions the script is not an entry)', () => {
    expect(etlLines(crontab, MARKERS)).toEqual([
      {
        index: 3,
        text: '*/10 * * * * ~/SpotManager/examples/scripts/run_etl.sh',
        enabled: true,
        command: '~/SpotManager/examples/scripts/run_etl.sh',
      },
    ]);
  });

  test('disable then restore gives back the exact text of the lines recorded; each is idempotent', () => {
    const off = disableEtl(crontab, MARKERS);
    expect(off.changed).toBe(1);
    expect(off.disabled).toEqual([{ index: 3, text: '*/10 * * * * ~/SpotManager/examples/scripts/run_etl.sh' }]);
    expect(off.text.split('\n')[3]).toBe(`${DISABLED_MARK}*/10 * * * * ~/SpotManager/examples/scripts/run_etl.sh`);
    expect(off.text.split('\n').filter((_, i) => i !== 3)).toEqual(crontab.split('\n').filter((_, i) => i !== 3));
    expect(disableEtl(off.text, MARKERS)).toMatchObject({ changed: 0, text: off.text, disabled: [] });
    expect(markedLines(off.text)).toEqual(off.disabled);
    const on = restoreEtl(off.text, MARKERS, off.disabled);
    expect(on).toMatchObject({ changed: 1, text: crontab, restored: off.disabled, others: [] });
    expect(restoreEtl(on.text, MARKERS, off.disabled)).toMatchObject({
      changed: 0,
      text: crontab,
      already: off.disabled,
    });
  });

  test('a line someone commented out by hand counts as stopped, and a start leaves it alone and reports it', () => {
    const byHand = crontab.replace(
      '*/10 * * * * ~/SpotManager/examples/scripts/run_etl.sh',
      '#*/10 * * * * ~/SpotManager/examples/scripts/run_etl.sh',
    );
    expect(etlLines(byHand, MARKERS).map((l) => l.enabled)).toEqual([false]);
    expect(markedLines(byHand)).toEqual([]);
    const r = restoreEtl(byHand, MARKERS, []);
    expect(r).toMatchObject({ changed: 0, text: byHand });
    expect(r.others.map((l) => [l.index, l.text])).toEqual([
      [3, '#*/10 * * * * ~/SpotManager/examples/scripts/run_etl.sh'],
    ]);
  });

  test(
    'only the recorded line comes back: a second instance disabled by hand stays off; a line moved by an ' +
      'edit above it is found by its exact text; one edited since is not touched',
    () => {
      const second = '#*/10 * * * * ~/SpotManager-2/examples/scripts/run_etl.sh';
      const off = disableEtl(`${crontab}${second}\n`, MARKERS);
      expect(off.disabled).toHaveLength(1);
      const moved = `# added by someone\n${off.text}`;
      const r = restoreEtl(moved, MARKERS, off.disabled);
      expect(r.restored).toEqual([{ index: 4, text: off.disabled[0]!.text }]);
      expect(r.text).toBe(`# added by someone\n${crontab}${second}\n`);
      expect(r.others.map((l) => l.text)).toEqual([second]);
      // Someone changed the bot's line (another schedule): it is no longer the line the bot left.
      const edited = off.text.replace(`${DISABLED_MARK}*/10`, `${DISABLED_MARK}*/30`);
      expect(restoreEtl(edited, MARKERS, off.disabled)).toMatchObject({
        changed: 0,
        text: edited,
        missing: off.disabled,
      });
    },
  );
});

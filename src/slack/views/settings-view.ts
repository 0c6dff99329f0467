import type { SettingRow } from '../../runbooks/index.js';
import { alignColumns, codeTable, context, escapeMrkdwn, section, type Block, type SlackMessage } from './blocks.js';
import { slackTime } from './slack-time.js';

/** The settings table and, above it, one warning per transient value that overrides a persistent one. */
export function settingsBlocks(rows: SettingRow[]): Block[] {
  if (rows.length === 0)
    return [
      section('*Allocation settings*: none set; Elasticsearch defaults apply (allocation enabled for all shards).'),
    ];
  const show = (v: string | undefined) => (v === undefined ? '-' : v === '' ? '""' : v);
  const shown = (v: string | undefined) => escapeMrkdwn(show(v));
  const lines = alignColumns([
    ['setting', 'persistent', 'transient'],
    ...rows.map((r) => [
      r.key.replace(/^cluster\.routing\./, '…routing.'),
      show(r.persistent),
      show(r.transient) + (r.overridden ? '  ⚠ wins' : ''),
    ]),
  ]);
  const warnings = rows
    .filter((r) => r.overridden)
    .map(
      (r) =>
        `:warning: *Transient \`${r.key}\` = \`${shown(r.transient)}\` ` +
        `overrides persistent \`${shown(r.persistent)}\`.* ` +
        `Persistent changes to this key have no effect until it is cleared: ` +
        `\`PUT _cluster/settings {"transient": {"${r.key}": null}}\``,
    );
  return [
    section('*Allocation settings* (transient wins over persistent)'),
    ...warnings.map(section),
    ...codeTable(lines, 2),
  ];
}

/** /es settings: the allocation settings alone. */
export function settingsView(cluster: string, settings: SettingRow[], now = Date.now()): SlackMessage {
  const overridden = settings.filter((r) => r.overridden);
  const text = overridden.length
    ? `Cluster ${cluster}: ${overridden.length} transient setting(s) override persistent ones: ` +
      overridden.map((r) => r.key).join(', ')
    : `Cluster ${cluster}: allocation settings, no transient overrides`;
  return { text, blocks: [...settingsBlocks(settings), context(`cluster ${cluster} · as of ${slackTime(now)}`)] };
}

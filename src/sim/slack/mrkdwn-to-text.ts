/**
 * Slack mrkdwn → terminal text. Formatting marks (*bold*, _italic_, `code`) stay as typed: they
 * read fine in a terminal. What would not read is Slack's angle-bracket syntax for mentions and
 * links, and its HTML entities, so those are rewritten.
 */
export function mrkdwnToText(text: string): string {
  const converted = text.replace(/<([^<>]+)>/g, (_whole, inner: string) => convertAngle(inner));
  return converted.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function convertAngle(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
  if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
  if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : target;
  if (target.startsWith('!')) return special(target.slice(1), label);
  return label && label !== target ? `${label} (${target})` : target;
}

/** <!here>, <!channel>, <!subteam^S123|@ops>, <!date^…|fallback>. */
function special(command: string, label: string | undefined): string {
  const [name, arg] = command.split('^');
  if (name === 'subteam') return label ? `@${label.replace(/^@/, '')}` : `@${arg ?? 'group'}`;
  if (name === 'date') return label ?? command;
  return label ? `@${label.replace(/^@/, '')}` : `@${name}`;
}

import { mrkdwnToText } from './mrkdwn-to-text.js';
import type { Json } from './types.js';
import { scalarText } from '../scalar-text.js';

const DIVIDER = '-'.repeat(40);
// Wider left cells would push the right column off a phone-sized terminal.
const MAX_LEFT_COLUMN = 38;

/**
 * Block Kit → plain text, for the local terminal that stands in for the Slack client. Buttons show
 * as `[ Label ] (action_id)` so that the person at the terminal can press them by action_id.
 * Pure: the same blocks always give the same text.
 */
export function renderBlocksAsText(blocks: unknown, fallbackText: string): string {
  if (!Array.isArray(blocks) || blocks.length === 0) return mrkdwnToText(fallbackText);
  return blocks
    .map((b) => (b && typeof b === 'object' ? renderBlock(b as Json) : ''))
    .filter((s) => s.length > 0)
    .join('\n');
}

function renderBlock(block: Json): string {
  switch (block.type) {
    case 'header':
      return `== ${textOf(block.text)} ==`;
    case 'section':
      return renderSection(block);
    case 'context':
      return list(block.elements).map(contextElement).filter(Boolean).join('  ');
    case 'divider':
      return DIVIDER;
    case 'actions':
      return list(block.elements)
        .map((e) => element((e ?? {}) as Json))
        .join('  ');
    case 'image':
      return `[image: ${str(block.alt_text) || str(block.image_url)}]`;
    case 'input':
      return `${textOf(block.label)}: ${element((block.element ?? {}) as Json)}`;
    case 'rich_text':
      return list(block.elements).map(richTextElement).join('\n');
    default:
      return `[${str(block.type) || 'unknown'} block]`;
  }
}

function renderSection(block: Json): string {
  const parts: string[] = [];
  const text = block.text ? textOf(block.text) : '';
  const accessory = block.accessory ? element(block.accessory as Json) : '';
  if (text && accessory && !text.includes('\n')) parts.push(`${text}  ${accessory}`);
  else {
    if (text) parts.push(text);
    if (accessory) parts.push(accessory);
  }
  const fields = list(block.fields).map((f) => textOf(f));
  if (fields.length) parts.push(twoColumns(fields));
  return parts.join('\n');
}

/** Section fields the way Slack lays them out: two per row, left column padded to line up. */
function twoColumns(cells: string[]): string {
  const rows: Array<[string[], string[]]> = [];
  for (let i = 0; i < cells.length; i += 2) rows.push([(cells[i] ?? '').split('\n'), (cells[i + 1] ?? '').split('\n')]);
  const width = Math.min(MAX_LEFT_COLUMN, Math.max(...rows.flatMap(([left]) => left.map((l) => l.length))));
  const out: string[] = [];
  for (const [left, right] of rows) {
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const r = right[i] ?? '';
      out.push(r ? `${(left[i] ?? '').padEnd(width)}  ${r}` : (left[i] ?? ''));
    }
  }
  return out.map((l) => l.trimEnd()).join('\n');
}

/** An interactive element, labelled with its action_id: the name the terminal user types. */
function element(el: Json): string {
  const id = str(el.action_id);
  const named = (label: string) => (id ? `[ ${label} ] (${id})` : `[ ${label} ]`);
  switch (el.type) {
    case 'button':
      return named(textOf(el.text));
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return named(`${el.placeholder ? textOf(el.placeholder) : 'choose'} v`);
    case 'overflow':
      return named('...');
    case 'datepicker':
      return named(str(el.initial_date) || 'date');
    case 'plain_text_input':
      return named('text');
    default:
      return named(str(el.type) || 'element');
  }
}

function contextElement(el: unknown): string {
  const e = (el ?? {}) as Json;
  if (e.type === 'image') return `[image: ${str(e.alt_text)}]`;
  return textOf(e);
}

function richTextElement(el: unknown): string {
  const e = (el ?? {}) as Json;
  switch (e.type) {
    case 'rich_text_section':
      return inline(e.elements);
    case 'rich_text_preformatted':
      return `\`\`\`\n${inline(e.elements)}\n\`\`\``;
    case 'rich_text_quote':
      return inline(e.elements)
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'rich_text_list': {
      const indent = '  '.repeat(typeof e.indent === 'number' ? e.indent : 0);
      return list(e.elements)
        .map((item, i) => `${indent}${e.style === 'ordered' ? `${i + 1}.` : '•'} ${richTextElement(item)}`)
        .join('\n');
    }
    default:
      return '';
  }
}

/** Inline rich text: styles become the mrkdwn marks a Slack user would have typed. */
function inline(elements: unknown): string {
  return list(elements)
    .map((raw) => {
      const e = (raw ?? {}) as Json;
      switch (e.type) {
        case 'text':
          return styled(str(e.text), (e.style ?? {}) as Json);
        case 'link':
          return e.text && e.text !== e.url ? `${str(e.text)} (${str(e.url)})` : str(e.url);
        case 'user':
          return `@${str(e.user_id)}`;
        case 'usergroup':
          return `@${str(e.usergroup_id)}`;
        case 'channel':
          return `#${str(e.channel_id)}`;
        case 'broadcast':
          return `@${str(e.range)}`;
        case 'emoji':
          return `:${str(e.name)}:`;
        case 'date':
          return str(e.fallback) || str(e.timestamp);
        default:
          return '';
      }
    })
    .join('');
}

function styled(text: string, style: Json): string {
  let t = text;
  if (style.code) t = `\`${t}\``;
  if (style.bold) t = `*${t}*`;
  if (style.italic) t = `_${t}_`;
  if (style.strike) t = `~${t}~`;
  return t;
}

/** A text object: mrkdwn is converted; plain_text is shown as written. */
function textOf(value: unknown): string {
  const t = (value ?? {}) as Json;
  const text = str(t.text);
  return t.type === 'mrkdwn' ? mrkdwnToText(text) : text;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : scalarText(value);
}

// Slack's mrkdwn → HTML: ```code```, `code`, *bold*, _italic_, ~strike~, > quotes, <@U…> mentions,
// <#C…|name> channels, <url|text> links, <!date^…|fallback> dates, :emoji:. Text arrives with &, < and > escaped as Slack does.
import { emojify } from './emoji.js';
import { renderSlackDate } from './slack-date.js';

const HOLE = '\u0000';

export function escapeHtml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Slack's own three entities back to characters (before escaping for HTML once). */
function unslack(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * @param {string} text mrkdwn
 * @param {{ userName(id: string): string, me?: string }} ctx who mentions name
 */
export function mrkdwn(text, ctx) {
  const holes = [];
  const hole = (html) => `${HOLE}${holes.push(html) - 1}${HOLE}`;
  let s = String(text ?? '');
  // Code first: nothing inside it is formatted.
  s = s.replace(/```([\s\S]*?)```/g, (_, code) => hole(`<pre>${escapeHtml(unslack(code.replace(/^\n/, '')))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => hole(`<code>${escapeHtml(unslack(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hole(special(inner, ctx)));
  s = escapeHtml(unslack(s));
  s = s.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<b>$2</b>');
  s = s.replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>');
  s = s.replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/g, '$1<s>$2</s>');
  s = quotes(s);
  // After formatting: an emoji's title holds underscores that must not read as _italic_ marks.
  s = emojify(s);
  s = s.replace(/\n/g, '<br>');
  // Holes may hold holes (a link's label is plain); fill until none are left.
  for (let i = 0; i < 3 && s.includes(HOLE); i++)
    s = s.replace(new RegExp(`${HOLE}(\\d+)${HOLE}`, 'g'), (_, n) => holes[Number(n)]);
  // A code block is a block: drop the line break Slack's text puts right after it.
  return s.replace(/<\/pre><br>/g, '</pre>');
}

function quotes(s) {
  const lines = s.split('\n');
  const out = [];
  for (const line of lines) {
    const m = /^&gt;\s?(.*)$/.exec(line);
    if (m) out.push(`<blockquote>${m[1]}</blockquote>`);
    else out.push(line);
  }
  return out.join('\n').replace(/<\/blockquote>\n/g, '</blockquote>');
}

function special(inner, ctx) {
  const [target, label] = inner.split('|', 2);
  if (target.startsWith('@')) return mention(target.slice(1), ctx);
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  // A date in the reader's own time zone; the fallback (UTC) on hover, as Slack shows it.
  if (target.startsWith('!date^')) {
    const fallback = inner.slice(inner.indexOf('|') + 1);
    return `<time title="${escapeHtml(unslack(fallback))}">${escapeHtml(renderSlackDate(inner))}</time>`;
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">@${escapeHtml(label ?? 'group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  if (/^(https?:|mailto:)/.test(target)) {
    return `<a href="${escapeHtml(unslack(target))}" target="_blank" rel="noreferrer">${escapeHtml(unslack(label ?? target))}</a>`;
  }
  return escapeHtml(`<${unslack(inner)}>`);
}

export function mention(userId, ctx) {
  const cls = userId === ctx.me ? 'mention me' : 'mention';
  return `<span class="${cls}" data-user-id="${escapeHtml(userId)}">@${escapeHtml(ctx.userName(userId))}</span>`;
}

/** plain_text objects: escaped, with :emoji: when `emoji` is not false. */
export function plain(obj) {
  const html = escapeHtml(obj?.text ?? '');
  return obj?.emoji === false ? html : emojify(html);
}

/** A text object of either kind. */
export function textObject(obj, ctx) {
  if (!obj) return '';
  return obj.type === 'mrkdwn' ? mrkdwn(obj.text, ctx) : plain(obj);
}

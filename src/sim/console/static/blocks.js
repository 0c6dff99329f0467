// Block Kit → DOM, for messages and modals: header, section (text, fields, accessory), context,
// divider, actions (buttons with confirm dialogs, selects shown read-only), image, rich_text, input.
import { escapeHtml, mention, mrkdwn, plain, textObject } from './mrkdwn.js';
import { emojify } from './emoji.js';

/**
 * @typedef {{ userName(id: string): string, me?: string,
 *   onButton?(element: object, blockId: string | undefined): void }} BlockContext
 */

function el(tag, className, html) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

/** The blocks of a message or modal; `fallback` (the message text) when there are none. */
export function renderBlocks(blocks, fallback, ctx) {
  const root = el('div', 'blocks');
  if (!blocks?.length) {
    root.append(el('div', 'mrkdwn', mrkdwn(fallback ?? '', ctx)));
    return root;
  }
  for (const block of blocks) root.append(renderBlock(block, ctx));
  return root;
}

function renderBlock(block, ctx) {
  switch (block.type) {
    case 'header':
      return el('div', 'b-header', plain(block.text));
    case 'section':
      return section(block, ctx);
    case 'context':
      return context(block, ctx);
    case 'divider':
      return el('hr', 'b-divider');
    case 'actions':
      return actions(block, ctx);
    case 'image':
      return image(block);
    case 'rich_text':
      return richText(block, ctx);
    case 'input':
      return input(block, ctx);
    default:
      return el('div', 'b-unknown', `[${escapeHtml(block.type)} block]`);
  }
}

function section(block, ctx) {
  const node = el('div', 'b-section');
  const main = el('div', 'b-section-main');
  if (block.text)
    main.append(el('div', block.text.type === 'mrkdwn' ? 'mrkdwn' : 'plain', textObject(block.text, ctx)));
  if (block.fields?.length) {
    const grid = el('div', 'b-fields');
    for (const f of block.fields) grid.append(el('div', 'mrkdwn b-field', textObject(f, ctx)));
    main.append(grid);
  }
  node.append(main);
  if (block.accessory) {
    const acc = el('div', 'b-accessory');
    acc.append(element(block.accessory, block.block_id, ctx));
    node.append(acc);
  }
  return node;
}

function context(block, ctx) {
  const node = el('div', 'b-context');
  for (const e of block.elements ?? []) {
    if (e.type === 'image') node.append(img(e.image_url, e.alt_text));
    else node.append(el('span', 'mrkdwn', textObject(e, ctx)));
  }
  return node;
}

function actions(block, ctx) {
  const node = el('div', 'b-actions');
  for (const e of block.elements ?? []) node.append(element(e, block.block_id, ctx));
  return node;
}

function image(block) {
  const node = el('div', 'b-image');
  if (block.title) node.append(el('div', 'b-image-title', plain(block.title)));
  node.append(img(block.image_url, block.alt_text));
  return node;
}

function img(src, alt) {
  const i = document.createElement('img');
  i.src = src ?? '';
  i.alt = alt ?? '';
  return i;
}

/** Interactive elements. Buttons act; the others are shown as Slack shows them, without acting. */
function element(e, blockId, ctx) {
  if (e.type === 'button') {
    const b = el('button', `sk-btn${e.style ? ` ${e.style}` : ''}`, plain(e.text));
    b.type = 'button';
    b.dataset.actionId = e.action_id ?? '';
    if (e.value !== undefined) b.dataset.value = e.value;
    b.addEventListener('click', () => {
      if (e.url) window.open(e.url, '_blank', 'noreferrer');
      ctx.onButton?.(e, blockId);
    });
    return b;
  }
  if (e.type === 'image') return img(e.image_url, e.alt_text);
  if (e.type === 'static_select' || e.type === 'overflow' || e.type === 'users_select' || e.type === 'datepicker') {
    const s = el('select', 'sk-select');
    s.disabled = true;
    const label = e.initial_option?.text ?? e.placeholder ?? { text: e.type === 'overflow' ? '⋯' : 'Select…' };
    s.append(el('option', '', plain(label)));
    return s;
  }
  return el('span', 'b-unknown', `[${escapeHtml(e.type)}]`);
}

/** A modal's static_select: its options to choose from, the placeholder first (value ''). */
function selectField(e) {
  const s = document.createElement('select');
  s.className = 'sk-select';
  const first = el('option', '', plain(e.placeholder ?? { text: 'Select…' }));
  first.value = '';
  s.append(first);
  for (const o of e.options ?? []) {
    const opt = el('option', '', plain(o.text));
    opt.value = o.value ?? '';
    s.append(opt);
  }
  return s;
}

function input(block, ctx) {
  const node = el('div', 'b-input');
  const e = block.element ?? {};
  const id = `in-${block.block_id}-${e.action_id}`;
  const label = el(
    'label',
    '',
    `${plain(block.label)}${block.optional ? ' <span class="optional">(optional)</span>' : ''}`,
  );
  label.htmlFor = id;
  node.append(label);
  const field =
    e.type === 'static_select'
      ? selectField(e)
      : e.multiline
        ? document.createElement('textarea')
        : document.createElement('input');
  field.id = id;
  field.dataset.blockId = block.block_id ?? '';
  field.dataset.actionId = e.action_id ?? '';
  if (e.max_length) field.maxLength = e.max_length;
  if (e.placeholder) field.placeholder = e.placeholder.text ?? '';
  if (e.initial_value) field.value = e.initial_value;
  node.append(field);
  if (block.hint) node.append(el('div', 'hint', plain(block.hint)));
  node.append(el('div', 'dialog-error'));
  return node;
}

// Rich text: sections, lists, preformatted and quotes, with styled text, links, mentions, emoji.
function richText(block, ctx) {
  const node = el('div', 'rt');
  for (const part of block.elements ?? []) node.append(richPart(part, ctx));
  return node;
}

function richPart(part, ctx) {
  switch (part.type) {
    case 'rich_text_list': {
      const list = el(part.style === 'ordered' ? 'ol' : 'ul');
      if (part.indent) list.style.marginLeft = `${part.indent * 18}px`;
      for (const item of part.elements ?? []) list.append(el('li', '', inline(item.elements, ctx)));
      return list;
    }
    case 'rich_text_preformatted':
      return el('pre', '', (part.elements ?? []).map((x) => escapeHtml(x.text ?? x.url ?? '')).join(''));
    case 'rich_text_quote':
      return el('blockquote', '', inline(part.elements, ctx));
    default:
      return el('div', '', inline(part.elements, ctx));
  }
}

function inline(elements, ctx) {
  return (elements ?? [])
    .map((x) => {
      let html;
      if (x.type === 'text') html = emojify(escapeHtml(x.text ?? '')).replace(/\n/g, '<br>');
      else if (x.type === 'link')
        html = `<a href="${escapeHtml(x.url)}" target="_blank" rel="noreferrer">${escapeHtml(x.text ?? x.url)}</a>`;
      else if (x.type === 'user') html = mention(x.user_id, ctx);
      else if (x.type === 'channel') html = `<span class="mention">#${escapeHtml(x.channel_id)}</span>`;
      else if (x.type === 'usergroup') html = `<span class="mention">@${escapeHtml(x.usergroup_id)}</span>`;
      else if (x.type === 'broadcast') html = `<span class="mention">@${escapeHtml(x.range)}</span>`;
      else if (x.type === 'emoji')
        html = x.unicode
          ? `<span class="emoji">${String.fromCodePoint(...x.unicode.split('-').map((h) => parseInt(h, 16)))}</span>`
          : emojify(`:${escapeHtml(x.name)}:`);
      else html = '';
      const st = x.style ?? {};
      if (st.code) html = `<code>${html}</code>`;
      if (st.bold) html = `<b>${html}</b>`;
      if (st.italic) html = `<i>${html}</i>`;
      if (st.strike) html = `<s>${html}</s>`;
      return html;
    })
    .join('');
}

// A button's `confirm` dialog, and modals the bot opens with views.open (Deny asks for a reason).
import { renderBlocks } from './blocks.js';
import { plain, textObject } from './mrkdwn.js';

const host = () => document.getElementById('dialogs');

function frame(title, testId) {
  const overlay = document.createElement('div');
  overlay.className = 'overlay';
  const dialog = document.createElement('div');
  dialog.className = 'dialog';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.dataset.dialog = testId;
  const head = document.createElement('div');
  head.className = 'dialog-head';
  head.innerHTML = `<span class="dialog-title">${title}</span>`;
  const body = document.createElement('div');
  body.className = 'dialog-body';
  const foot = document.createElement('div');
  foot.className = 'dialog-foot';
  dialog.append(head, body, foot);
  overlay.append(dialog);
  return { overlay, dialog, body, foot };
}

function button(html, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `sk-btn ${className}`;
  b.innerHTML = html;
  b.addEventListener('click', onClick);
  return b;
}

let pendingConfirm; // closes the open confirm dialog, as "Back"

/** Closes a confirm dialog left open: it belonged to the person who was acting before a switch. */
export function dismissConfirm() {
  pendingConfirm?.();
}

/** Slack's confirmation dialog object → true when the person confirms. */
export function confirmDialog(confirm, ctx) {
  dismissConfirm();
  return new Promise((resolve) => {
    const { overlay, body, foot } = frame(plain(confirm.title ?? { text: 'Are you sure?' }), 'confirm');
    body.classList.add('mrkdwn');
    body.innerHTML = textObject(confirm.text, ctx);
    const done = (answer) => {
      pendingConfirm = undefined;
      overlay.remove();
      resolve(answer);
    };
    pendingConfirm = () => done(false);
    const style = confirm.style === 'danger' ? 'danger solid' : 'primary';
    foot.append(
      button(plain(confirm.deny ?? { text: 'Cancel' }), '', () => done(false)),
      button(plain(confirm.confirm ?? { text: 'Yes' }), style, () => done(true)),
    );
    overlay.addEventListener('click', (ev) => {
      if (ev.target === overlay) done(false);
    });
    host().append(overlay);
  });
}

let shown; // { id, overlay }

/**
 * Shows the open modal of the person looking (or none). `onSubmit(values)` resolves to
 * { ok } or { ok: false, error, errors } (errors keyed by block_id, shown under the inputs).
 */
export function syncModal(view, ctx, onSubmit, onClose) {
  if (shown && (!view || shown.id !== view.id || shown.hash !== view.hash)) {
    shown.overlay.remove();
    shown = undefined;
  }
  if (!view || shown) return;
  const { overlay, dialog, body, foot } = frame(plain(view.title ?? { text: 'opsbot' }), 'modal');
  dialog.dataset.viewId = view.id;
  body.append(renderBlocks(view.blocks, '', ctx));
  const general = document.createElement('div');
  general.className = 'dialog-error';
  body.append(general);
  const submit = button(plain(view.submit ?? { text: 'Submit' }), 'primary', async () => {
    const values = {};
    for (const f of dialog.querySelectorAll('[data-block-id][data-action-id]')) {
      (values[f.dataset.blockId] ??= {})[f.dataset.actionId] = f.value;
    }
    submit.disabled = true;
    const result = await onSubmit(view.id, values);
    submit.disabled = false;
    if (result.ok) return;
    general.textContent = result.error ?? '';
    for (const [blockId, message] of Object.entries(result.errors ?? {})) {
      const field = dialog.querySelector(`[data-block-id="${CSS.escape(blockId)}"]`);
      const slot = field?.parentElement?.querySelector('.dialog-error');
      if (slot) slot.textContent = message;
    }
  });
  foot.append(
    button(plain(view.close ?? { text: 'Cancel' }), '', () => onClose(view.id)),
    submit,
  );
  host().append(overlay);
  shown = { id: view.id, hash: view.hash, overlay };
  dialog.querySelector('textarea, input')?.focus();
}

import type { types } from '@slack/bolt';

export const DENY_MODAL = 'run_deny_reason';

/** Deny with an optional reason; the run and channel ride in private_metadata. */
export function denyReasonModal(runId: string, channel: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: DENY_MODAL,
    private_metadata: JSON.stringify({ runId, channel }),
    title: { type: 'plain_text', text: 'Deny this run' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: { type: 'plain_text', text: 'Why? (shown in the thread)' },
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 500 },
      },
    ],
  };
}

import type { types } from '@slack/bolt';
import type { NodeRow } from '../../runbooks/index.js';
import { escapeMrkdwn, formatBytes } from '../../format.js';

export const NODE_PICKER = 'es_node_picker';
/** The select's ids in the view's state (state.values[block][action]). */
export const PICKED = { block: 'node', action: 'node' } as const;
/** Block Kit: a static_select holds at most 100 options, each label at most 75 characters. */
const MAX_OPTIONS = 100;
const LABEL_MAX = 75;

/** The commands that open the picker when typed without a node, and what the modal says of each. */
export const PICKER_VERBS = {
  drain: { title: 'Drain a node', does: 'moves every shard off it (the plan first, a second person approves)' },
  maintain: { title: 'Maintain a node', does: 'drains it, stops it for your change, brings it back' },
  bounce: { title: 'Bounce a node', does: 'restarts it with shard movement disabled meanwhile' },
  undrain: { title: 'Undrain a node', does: 'lets shards come back to it (removes only its exclusion)' },
} as const;
export type PickerVerb = keyof typeof PICKER_VERBS;

/** What rides in private_metadata from the open to the submit. */
export interface PickerMeta {
  verb: PickerVerb;
  /** The flags typed with the command (`--dry-run`, `--cluster X`...), kept as typed. */
  rest: string;
  channel: string;
}

/** "node-3 · zone primary · 412 shards · disk 61% (1.2 TB free)": one node, as the select shows it. */
export function nodeLabel(n: NodeRow): string {
  const disk =
    n.diskPercent !== undefined
      ? `disk ${n.diskPercent}%${n.diskAvailBytes !== undefined ? ` (${formatBytes(n.diskAvailBytes)} free)` : ''}`
      : 'disk ?';
  const parts = [n.name, `zone ${n.zone ?? '-'}`, `${n.shards} shards`, disk];
  if (n.excludedBy.length) parts.push('excluded');
  const label = parts.join(' · ');
  return label.length <= LABEL_MAX ? label : `${label.slice(0, LABEL_MAX - 1)}…`;
}

/**
 * The modal of `/es drain` (maintain, bounce, undrain) typed without a node: one select of the
 * cluster's nodes with zone, shards and disk each. Submitting runs the command as if typed with
 * the chosen node, so the plan, the policy and the approvals are those of the typed command.
 */
export function nodePickerModal(meta: PickerMeta, cluster: string, nodes: NodeRow[]): types.ModalView {
  const { title, does } = PICKER_VERBS[meta.verb];
  const shown = nodes.slice(0, MAX_OPTIONS);
  const more =
    nodes.length > shown.length
      ? ` Only the first ${MAX_OPTIONS} of ${nodes.length} are listed: type \`/es ${meta.verb} NODE\` for another.`
      : '';
  return {
    type: 'modal',
    callback_id: NODE_PICKER,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: 'Show the plan' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            `\`/es ${meta.verb}\` ${does}. Pick the node of *${escapeMrkdwn(cluster)}*: ` +
            `its plan appears in the channel as if you had typed it; nothing changes before it is approved.${more}`,
        },
      },
      {
        type: 'input',
        block_id: PICKED.block,
        label: { type: 'plain_text', text: 'Node' },
        element: {
          type: 'static_select',
          action_id: PICKED.action,
          placeholder: { type: 'plain_text', text: 'Choose a node' },
          options: shown.map((n) => ({ text: { type: 'plain_text', text: nodeLabel(n) }, value: n.name })),
        },
      },
    ],
  };
}

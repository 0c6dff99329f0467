import type { Block } from './blocks.js';

/** The help card's buttons: action id → the command each runs as the person who pressed it. */
export const HELP_ACTIONS = {
  help_es_status: 'status',
  help_es_recovery: 'recovery',
  help_es_drain: 'drain',
} as const;

const LABELS: Record<keyof typeof HELP_ACTIONS, string> = {
  help_es_status: 'Cluster status',
  help_es_recovery: 'Recovery now',
  help_es_drain: 'Drain a node…',
};

/**
 * Buttons for the common /es commands, those the person may run here (`mayRun`: the policy key,
 * e.g. "es drain"); none at all when they may run none of them.
 */
export function esHelpButtons(mayRun: (key: string) => boolean): Block[] {
  const shown = (Object.keys(HELP_ACTIONS) as (keyof typeof HELP_ACTIONS)[]).filter((id) =>
    mayRun(`es ${HELP_ACTIONS[id]}`),
  );
  if (shown.length === 0) return [];
  return [
    {
      type: 'actions',
      block_id: 'help_buttons',
      elements: shown.map((id) => ({
        type: 'button',
        action_id: id,
        value: HELP_ACTIONS[id],
        text: { type: 'plain_text', text: LABELS[id] },
      })),
    },
  ];
}

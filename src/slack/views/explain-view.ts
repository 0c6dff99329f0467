import type { ShardExplanation } from '../../runbooks/index.js';
import { codeTable, context, escapeMrkdwn, header, section, type SlackMessage } from './blocks.js';

/** Nodes listed on the card; the rest are counted (a phone screen, and Slack's section limit). */
export const NODES_SHOWN = 12;

const ADD_PRIMARY = 'add --primary for the primary · ';
const MARK: Record<string, string> = { yes: '✓', no: '✗', throttled: '…', worse_balance: '=' };
/** ES's node decisions in words. */
const DECISION: Record<string, string> = {
  yes: 'could take it',
  no: 'may not',
  throttled: 'may, once a recovery slot is free',
  worse_balance: 'allowed, but no better balance than now',
  awaiting_info: 'waiting for disk and shard size figures',
};

/** `/es explain INDEX SHARD [--primary]`: where the copy is, ES's answer, and each node's verdict in words. */
export function explainView(cluster: string, ex: ShardExplanation): SlackMessage {
  const copy = `${ex.index}[${ex.shard}] ${ex.primary ? 'primary' : 'replica'}`;
  const where = ex.currentNode ? `on *${escapeMrkdwn(ex.currentNode)}*` : '*unassigned*';
  const reason = ex.unassignedReason ? ` (${escapeMrkdwn(ex.unassignedReason)})` : '';
  const lines = ex.nodes.slice(0, NODES_SHOWN).map((n) => {
    const why = n.reasons.length ? `, ${n.reasons.join('; ')}` : '';
    return `${MARK[n.decision] ?? '?'} ${n.node}: ${DECISION[n.decision] ?? n.decision}${why}`;
  });
  const more = ex.nodes.length - lines.length;
  return {
    text: `${copy} on ${cluster}: ${ex.summary}`,
    blocks: [
      header(`${copy} on ${cluster}`),
      section(
        `${escapeMrkdwn(ex.state.toUpperCase())} ${where}${reason}\n*Elasticsearch says*: ${escapeMrkdwn(ex.summary)}`,
      ),
      ...(ex.cannotRemain.length
        ? [section(`*It may not stay where it is*: ${escapeMrkdwn(ex.cannotRemain.join('; '))}`)]
        : []),
      ...(lines.length ? [section('*Each node* (✓ could take it, ✗ may not, … busy)'), ...codeTable(lines, 2)] : []),
      ...(more > 0 ? [context(`… and ${more} more nodes`)] : []),
      context(`\`/es shards NODE\` lists a node's copies · ${ex.primary ? '' : ADD_PRIMARY}cluster ${cluster}`),
    ],
  };
}

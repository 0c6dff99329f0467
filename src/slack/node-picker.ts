import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { tokenize } from '../commands/tokenize.js';
import { isOperatorProblem } from '../problem.js';
import type { Logger } from '../log.js';
import type { PlanDeps } from '../runbooks/index.js';
import type { AccessPolicy } from './access-policy.js';
import { replyFor, type Reply } from './reply.js';
import type { RunCommand } from './run-actions.js';
import { policyRefusalView, problemView } from './views/error-view.js';
import { HELP_ACTIONS } from './views/help-buttons.js';
import {
  NODE_PICKER,
  nodePickerModal,
  PICKED,
  PICKER_VERBS,
  type PickerMeta,
  type PickerVerb,
} from './views/node-picker-view.js';

/** Flags of these commands that take a value: the word after them is theirs, not a node. */
const VALUE_FLAGS = new Set(['--cluster', '--change', '--break-glass']);

export interface PickerDeps {
  access: AccessPolicy;
  plans: PlanDeps;
  log: Logger;
}

/**
 * `/es drain` (maintain, bounce, undrain) typed without a node, only flags: the picker's request,
 * with the flags kept as typed (quoted again where a value has spaces). Undefined otherwise: the
 * command goes its usual way (a node named, or a usage error for anything else).
 */
export function pickerRequest(
  slash: string,
  text: string,
): { verb: PickerVerb; rest: string; cluster?: string } | undefined {
  if (slash !== '/es') return undefined;
  const t = tokenize(text);
  if (!t.ok) return undefined;
  const [verb, ...words] = t.words;
  if (!verb || !Object.hasOwn(PICKER_VERBS, verb)) return undefined;
  let cluster: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('--')) return undefined; // a node (or a stray word): not the picker's
    if (VALUE_FLAGS.has(w)) {
      if (w === '--cluster') cluster = words[i + 1];
      i++;
    }
  }
  const rest = words.map((w) => (/[\s"]/.test(w) ? `"${w.replace(/"/g, "'")}"` : w)).join(' ');
  return { verb: verb as PickerVerb, rest, ...(cluster ? { cluster } : {}) };
}

/**
 * Opens the node picker for a picker request (see pickerRequest) with the invocation's trigger_id.
 * The policy is asked first (who may not run the command sees its refusal, not the cluster's
 * nodes); the nodes are read once (`_nodes` and `_cat/allocation`: O(nodes)). True when the
 * request was the picker's (opened, or answered with why not).
 */
export async function openNodePicker(
  input: { slash: string; text: string; user: string; channel: string; triggerId?: string | undefined },
  client: WebClient,
  reply: Reply,
  deps: PickerDeps,
): Promise<boolean> {
  const req = input.triggerId ? pickerRequest(input.slash, input.text) : undefined;
  if (!req) return false;
  const refusal = await deps.access.refusal(`es ${req.verb}`, input.user, input.channel);
  if (refusal) {
    await reply.toRequester(policyRefusalView(refusal));
    return true;
  }
  try {
    const cluster = deps.plans.clusters.get(req.cluster);
    const { nodes } = await cluster.nodes();
    if (nodes.length === 0) {
      await reply.toRequester(problemView(`Cluster ${cluster.name} lists no nodes.`, 'Look at `/es status`.'));
      return true;
    }
    const meta: PickerMeta = { verb: req.verb, rest: req.rest, channel: input.channel };
    await client.views.open({ trigger_id: input.triggerId!, view: nodePickerModal(meta, cluster.name, nodes) });
  } catch (err) {
    deps.log.warn({ err, verb: req.verb }, 'node picker not opened');
    await reply.toRequester(
      isOperatorProblem(err)
        ? problemView(err.message, err.next)
        : problemView(
            `The node picker could not be opened.`,
            `Type the node instead: \`/es ${req.verb} NODE\` (\`/es status\` lists them).`,
          ),
    );
  }
  return true;
}

/** Answers only this person, in the channel the modal was opened from (a modal has no response_url). */
function ephemeralReply(client: WebClient, channel: string, user: string): Reply {
  const noResponseUrl = () => Promise.reject(new Error('a modal submission has no response_url'));
  return {
    ...replyFor(client, noResponseUrl, channel),
    async toRequester(msg) {
      await client.chat.postEphemeral({ channel, user, text: msg.text, ...(msg.blocks ? { blocks: msg.blocks } : {}) });
    },
  };
}

/**
 * The picker's submit, and the help card's buttons: each runs its command as the person, exactly
 * as if typed (runCommand: grammar, policy, plan, approvals), so a node picked is a node typed.
 */
export function registerNodePicker(app: App, deps: PickerDeps, runCommand: RunCommand): void {
  app.view(NODE_PICKER, async ({ ack, body, view, client }) => {
    const node = view.state.values[PICKED.block]?.[PICKED.action]?.selected_option?.value;
    if (!node) {
      await ack({ response_action: 'errors', errors: { [PICKED.block]: 'Choose a node.' } });
      return;
    }
    await ack();
    const meta = JSON.parse(view.private_metadata || '{}') as Partial<PickerMeta>;
    if (!meta.verb || !Object.hasOwn(PICKER_VERBS, meta.verb) || !meta.channel) return;
    await runCommand({
      slash: '/es',
      text: [meta.verb, node, meta.rest ?? ''].join(' ').trim(),
      user: body.user.id,
      ...(body.team?.id ? { team: body.team.id } : {}),
      channel: meta.channel,
      reply: ephemeralReply(client, meta.channel, body.user.id),
    });
  });

  for (const [actionId, text] of Object.entries(HELP_ACTIONS)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, respond, client }) => {
      await ack();
      const channel = body.channel?.id ?? '';
      // Answers are new messages: the help card stays as it is.
      const reply = replyFor(
        client,
        (msg) =>
          respond(
            typeof msg === 'string' ? { text: msg, replace_original: false } : { ...msg, replace_original: false },
          ),
        channel,
      );
      const input = { slash: '/es', text, user: body.user.id, channel, triggerId: body.trigger_id };
      if (await openNodePicker(input, client, reply, deps)) return;
      await runCommand({ ...input, ...(body.team?.id ? { team: body.team.id } : {}), reply });
    });
  }
}

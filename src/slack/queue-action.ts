import type { App, BlockButtonAction } from '@slack/bolt';
import type { Engine } from '../engine/index.js';
import type { Logger } from '../log.js';
import { isOperatorProblem } from '../problem.js';
import { scrubSecrets } from '../log.js';
import { QUEUE_ACTION, queuedReply } from './views/refusals.js';

/**
 * "Queue behind run X" on a lock refusal: the refused request is created as a queued run (the
 * engine checks it is the requester's, and still on offer). The presser alone is told the outcome.
 */
export function registerQueueAction(app: App, engine: Engine, log: Logger): void {
  app.action<BlockButtonAction>(QUEUE_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    try {
      const { run, created } = await engine.queueBehind(action.value ?? '', body.user.id);
      log.info({ run: run.id, user: body.user.id, queued: run.queued?.behind, created }, 'queue behind');
      await tell(queuedReply(run, created));
    } catch (err) {
      if (!isOperatorProblem(err)) throw err;
      await tell(scrubSecrets(`${err.message} ${err.next}`));
    }
  });
}

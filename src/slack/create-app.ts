import { App, HTTPModuleFunctions, HTTPReceiver, type AppOptions } from '@slack/bolt';
import { parseCommand } from '../commands/grammar.js';
import { AckFirst } from './ack-first.js';
import { SLASH_COMMANDS } from '../commands/types.js';
import type { AnyRunbook, Engine } from '../engine/index.js';
import type { PlanDeps } from '../runbooks/index.js';
import type { Logger } from '../log.js';
import { boltLogger } from './bolt-logger.js';
import { dispatch } from './dispatch.js';
import { replyFor } from './reply.js';
import { registerRunActions, type RunCommand } from './run-actions.js';
import { registerHome } from './home/register-home.js';
import type { DmPrefs } from './home/dm-prefs.js';
import { policyRefusalView, usageView } from './views/error-view.js';
import type { AccessPolicy } from './access-policy.js';
import { onlyTeam } from './only-team.js';
import { openNodePicker, registerNodePicker } from './node-picker.js';
import { onceEachEvent } from './event-once.js';
import { isStaleRequest, requestFreshness, signedHeaders, type SeenRequests } from './request-freshness.js';

export interface SlackAppOptions {
  botToken: string;
  signingSecret: string;
  /** Set → Socket Mode (no public URL needed); unset → HTTP receiver on /slack/events. */
  appToken?: string;
  /** Web API base, e.g. a local stand-in's http://127.0.0.1:P/api/. */
  slackApiUrl?: string;
  /** Skip auth.test at start-up (tests, local mode); then botUserId names the bot. */
  botUserId?: string;
  /** More routes on the HTTP receiver (/healthz, /metrics...); ignored in Socket Mode, which has none. */
  customRoutes?: NonNullable<AppOptions['customRoutes']>;
  /** The fetch of Bolt's Web API clients (one that counts calls for /metrics). */
  slackFetch?: NonNullable<AppOptions['clientOptions']>['fetch'];
}

export interface SlackAppDeps {
  engine: Engine;
  log: Logger;
  access: AccessPolicy;
  /** What the runbooks' plans and queries read the estate through. */
  plans: PlanDeps;
  /** Every runbook: their follow-up buttons are registered here. */
  runbooks: readonly AnyRunbook[];
  /** The one workspace this bot serves; requests signed for another team are refused. */
  teamId?: string;
  /** Signatures already seen (Redis, shared by every web process): a replayed request is refused. */
  seenRequests: SeenRequests;
  /** Who wants a DM when their approval is asked: the Home tab's switch (absent: no switch shown). */
  dmPrefs?: DmPrefs;
}

/** The Bolt app: listeners ack at once, parse with the one grammar, then do the slow work. */
export function createSlackApp(opts: SlackAppOptions, deps: SlackAppDeps): App {
  const ackFirst = new AckFirst();
  const appOptions: AppOptions = {
    token: opts.botToken,
    signingSecret: opts.signingSecret,
    logger: boltLogger(deps.log),
    clientOptions: {
      ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
      // Answers to a command are worth a retry or two; progress updates have their own throttle.
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
      ...(opts.slackFetch ? { fetch: opts.slackFetch } : {}),
    },
    ...(opts.appToken
      ? {
          socketMode: true,
          appToken: opts.appToken,
          // The Socket Mode client's own Web API client (apps.connections.open) goes where the bot's goes.
          ...(opts.slackApiUrl ? { installerOptions: { clientOptions: { slackApiUrl: opts.slackApiUrl } } } : {}),
        }
      : { receiver: httpReceiver(opts, deps.log, ackFirst) }),
    ...(opts.botUserId ? { tokenVerificationEnabled: false, botUserId: opts.botUserId, botId: opts.botUserId } : {}),
  };
  const app = new App(appOptions);
  // First: a stale or replayed request is refused before anything reads it.
  app.use(requestFreshness(deps.seenRequests, deps.log));
  // Then: an event Slack delivered again (a retry, over HTTP or Socket Mode) is handled once.
  app.use(onceEachEvent(deps.seenRequests, deps.log));
  if (deps.teamId) app.use(onlyTeam(deps.teamId, deps.log));

  /**
   * One command from one person: parse, check who may, dispatch. Slash commands and follow-up
   * buttons both come here.
   */
  const runCommand: RunCommand = async (input) => {
    const { reply, user, channel } = input;
    const parsed = parseCommand(input.slash, input.text);
    if (!parsed.ok) {
      await reply.toRequester(usageView(parsed.error, parsed.usage));
      return;
    }
    const log = deps.log.child({ command: parsed.command.name, user, channel });
    const refusal =
      (await deps.access.refusal(parsed.key, user, channel)) ??
      (parsed.breakGlass !== undefined ? await deps.access.breakGlassRefusal(user, parsed.key) : undefined);
    if (refusal) {
      await deps.engine.audit.append({
        run: '-',
        runbook: parsed.key,
        type: 'request_refused',
        user,
        detail: { channel, reason: refusal },
      });
      await reply.toRequester(policyRefusalView(refusal));
      return;
    }
    await dispatch(parsed.command, {
      user,
      ...(input.team ? { team: input.team } : {}),
      channel,
      ...(input.triggerId ? { triggerId: input.triggerId } : {}),
      command: { slash: input.slash, text: input.text },
      ...(input.rerunOf ? { rerunOf: input.rerunOf } : {}),
      ...(parsed.breakGlass !== undefined ? { breakGlass: parsed.breakGlass } : {}),
      runAs: runCommand,
      reply,
      log,
      engine: deps.engine,
      access: deps.access,
      commandKey: parsed.key,
      rule: deps.access.ruleFor(parsed.key),
      deps: deps.plans,
    });
  };
  for (const slash of SLASH_COMMANDS) {
    app.command(slash, async ({ command, ack, respond, client }) => {
      // Ack first and empty: Slack wants an answer within 3 s and the user sees nothing until we post.
      await ack();
      // Then wait until every request received is answered: under a burst, the other commands
      // are acked before this one's slow work (cluster reads, rendering) takes the event loop.
      await ackFirst.quiet();
      const input = {
        slash: command.command,
        text: command.text ?? '',
        user: command.user_id,
        team: command.team_id,
        channel: command.channel_id,
        triggerId: command.trigger_id,
        reply: replyFor(client, respond, command.channel_id),
      };
      // `/es drain` (maintain, bounce, undrain) without a node: a modal to pick it (node-picker.ts).
      if (await openNodePicker(input, client, input.reply, deps)) return;
      await runCommand(input);
    });
  }
  registerRunActions(app, deps.engine, deps.log, runCommand, deps.runbooks);
  registerNodePicker(app, deps, runCommand);
  registerHome(app, deps);

  app.error((err) => {
    // Back to the receiver, which answers 401 (see httpReceiver).
    if (isStaleRequest(err)) return Promise.reject(err);
    deps.log.error({ err: err.message, code: (err as { code?: string }).code }, 'slack listener error');
    return Promise.resolve();
  });
  return app;
}

/**
 * Bolt's own HTTP receiver (signature and past-timestamp checks, /slack/events), handing the signing
 * headers to the freshness check and answering 401 when that check refuses a request.
 */
function httpReceiver(opts: SlackAppOptions, log: Logger, ackFirst: AckFirst): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    logger: boltLogger(log),
    ...(opts.customRoutes ? { customRoutes: opts.customRoutes } : {}),
    customPropertiesExtractor: signedHeaders,
    processEventErrorHandler: async (args) => {
      if (!isStaleRequest(args.error)) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
      HTTPModuleFunctions.buildNoBodyResponse(args.response, 401);
      return true; // answered: Bolt only stops its 3-second no-ack timer
    },
  });
  receiver.requestListener = ackFirst.wrap(receiver.requestListener);
  return receiver;
}

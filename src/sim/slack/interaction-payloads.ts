import { randomBytes } from 'node:crypto';
import { SIM_DEFAULTS } from './defaults.js';
import { locateButton, type LocatedButton } from './find-button.js';
import type { Json } from './types.js';

/** Who acts, and where: the part of every payload that names the person and the conversation. */
export interface Actor {
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  team_id?: string;
}

/** The app and workspace the payloads come from and go to. */
export interface AppContext {
  teamId: string;
  teamDomain: string;
  apiAppId: string;
  /** The legacy verification token Slack still sends in every payload (Bolt ignores it). */
  verificationToken: string;
}

export interface ClickedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  blocks?: unknown[];
  text?: string;
  is_ephemeral?: boolean;
}

export interface ClickedAction {
  action_id: string;
  value?: string;
  block_id?: string;
}

export interface SubmittedView {
  callback_id: string;
  private_metadata?: string;
  /** state.values: { [block_id]: { [action_id]: { type, value, ... } } } */
  state: Json;
  id?: string;
  blocks?: unknown[];
  title?: string;
}

/** Slack's trigger ids: `digits.digits.hex`, good for about 3 s to open a modal. */
export function newTriggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e10)}.${randomBytes(16).toString('hex')}`;
}

/** Slack action_ts: seconds with microseconds. */
function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

const userName = (who: Actor) => who.user_name ?? who.user_id.toLowerCase();

/** The pressed button as a payload's `actions` entry: its block, text and value as the bot rendered them. */
function buttonAction(action: ClickedAction, located: LocatedButton | undefined): Json {
  const button = located?.button;
  return {
    action_id: action.action_id,
    block_id: action.block_id ?? located?.block_id ?? randomBytes(3).toString('hex'),
    text: button?.text ?? { type: 'plain_text', text: action.action_id, emoji: true },
    value: action.value ?? button?.value,
    ...(button?.style ? { style: button.style } : {}),
    type: 'button',
    action_ts: actionTs(),
  };
}

/** The form fields of a slash command, every one Slack sends, in Slack's order. */
export function slashCommandFields(
  app: AppContext,
  command: string,
  text: string,
  who: Actor,
  responseUrl: string,
): Record<string, string> {
  return {
    token: app.verificationToken,
    team_id: who.team_id ?? app.teamId,
    team_domain: app.teamDomain,
    channel_id: who.channel_id,
    channel_name: who.channel_name ?? who.channel_id.toLowerCase(),
    user_id: who.user_id,
    user_name: userName(who),
    command: command.startsWith('/') ? command : `/${command}`,
    text,
    api_app_id: app.apiAppId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: newTriggerId(),
  };
}

/**
 * A `block_actions` payload for a button click on a message. When the message's blocks are given,
 * the button must be in them: its block_id, text and value come from what the bot rendered.
 */
export function blockActionsPayload(
  app: AppContext,
  action: ClickedAction,
  who: Actor,
  message: ClickedMessage,
  responseUrl: string,
): Json {
  const located = message.blocks ? locateButton(message.blocks, action.action_id) : undefined;
  if (message.blocks && !located) {
    throw new Error(
      `no button with action_id '${action.action_id}' in the message ${message.ts}: click what the bot rendered`,
    );
  }
  const teamId = who.team_id ?? app.teamId;
  return {
    type: 'block_actions',
    user: { id: who.user_id, username: userName(who), name: userName(who), team_id: teamId },
    api_app_id: app.apiAppId,
    token: app.verificationToken,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: message.is_ephemeral ?? false,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    trigger_id: newTriggerId(),
    team: { id: teamId, domain: app.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: who.channel_name ?? message.channel.toLowerCase() },
    message: {
      type: 'message',
      ts: message.ts,
      text: message.text ?? '',
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      ...(message.blocks ? { blocks: message.blocks } : {}),
    },
    state: { values: {} },
    response_url: responseUrl,
    actions: [buttonAction(action, located)],
  };
}

/** A view the person clicked in: their Home tab, or an open modal (what views.publish/open stored). */
export interface ClickedView {
  id: string;
  type: string;
  blocks: unknown[];
  callback_id?: string;
  private_metadata?: string;
  hash?: string;
}

/**
 * The `view` object of a payload as Slack sends it: what the view holds (`own`, with its `id`),
 * and the fields Slack adds to every view of this app.
 */
function viewObject(app: AppContext, teamId: string, own: Record<string, unknown> & { id: string }): Json {
  return {
    team_id: teamId,
    hash: randomBytes(8).toString('hex'),
    previous_view_id: null,
    root_view_id: own.id,
    app_id: app.apiAppId,
    external_id: '',
    app_installed_team_id: teamId,
    bot_id: SIM_DEFAULTS.botId,
    ...own,
  };
}

/**
 * A `block_actions` payload for a button on a view (the Home tab, a modal): the container is the
 * view, and there is no channel, message or response_url, as Slack sends it.
 */
export function viewBlockActionsPayload(app: AppContext, action: ClickedAction, who: Actor, view: ClickedView): Json {
  const located = locateButton(view.blocks, action.action_id);
  if (!located) throw new Error(`no button with action_id '${action.action_id}' in the view ${view.id}`);
  const teamId = who.team_id ?? app.teamId;
  return {
    type: 'block_actions',
    user: { id: who.user_id, username: userName(who), name: userName(who), team_id: teamId },
    api_app_id: app.apiAppId,
    token: app.verificationToken,
    container: { type: 'view', view_id: view.id },
    trigger_id: newTriggerId(),
    team: { id: teamId, domain: app.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    view: viewObject(app, teamId, {
      id: view.id,
      type: view.type,
      blocks: view.blocks,
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: {} },
      ...(view.hash ? { hash: view.hash } : {}),
    }),
    actions: [buttonAction(action, located)],
  };
}

/** A `view_submission` payload: a modal's Submit pressed with these input values. */
export function viewSubmissionPayload(app: AppContext, view: SubmittedView, who: Actor): Json {
  const teamId = who.team_id ?? app.teamId;
  const id = view.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: app.teamDomain },
    user: { id: who.user_id, username: userName(who), name: userName(who), team_id: teamId },
    api_app_id: app.apiAppId,
    token: app.verificationToken,
    trigger_id: newTriggerId(),
    view: viewObject(app, teamId, {
      id,
      type: 'modal',
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id,
      state: { values: view.state },
      title: { type: 'plain_text', text: view.title ?? 'opsbot', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
    }),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

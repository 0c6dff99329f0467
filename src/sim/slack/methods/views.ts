import { createHash } from 'node:crypto';
import { checkBlocks } from '../block-limits.js';
import { clone } from '../workspace.js';
import type { Json, StoredView } from '../types.js';
import { fail, str, type MethodContext, type MethodResult, type WebApiMethod } from './method-kit.js';

/** views.open / views.update: modals (the bot may ask for a reason before a destructive step). */
export const viewMethods: Record<string, WebApiMethod> = {
  'views.open': (args, ctx) => {
    if (!str(args, 'trigger_id'))
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
      });
    return storeView(args.view, undefined, ctx, str(args, 'trigger_id'));
  },

  /** A person's App Home tab: one view per user, replaced by each publish (hash checked when given). */
  'views.publish': (args, ctx) => {
    const user = str(args, 'user_id');
    if (!user) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing user_id'] } });
    const v = args.view as Json | undefined;
    if (!v || typeof v !== 'object' || v.type !== 'home')
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view.type must be home'] } });
    const existing = ctx.ws.homes.get(user);
    const hash = str(args, 'hash');
    if (hash && existing && hash !== existing.hash) return fail('hash_conflict');
    const res = storeView(v, existing, ctx, undefined, user);
    const id = (res as { view?: { id?: string } }).view?.id;
    const stored = id ? ctx.ws.views.get(id) : undefined;
    if (stored) ctx.ws.homes.set(user, stored);
    return res;
  },

  'views.update': (args, ctx) => {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    const existing = [...ctx.ws.views.values()].find((v) =>
      viewId ? v.id === viewId : externalId !== undefined && v.external_id === externalId,
    );
    if (!existing) return fail('not_found');
    const hash = str(args, 'hash');
    if (hash && hash !== existing.hash) return fail('hash_conflict');
    return storeView(args.view, existing, ctx);
  },
};

function storeView(
  view: unknown,
  existing: StoredView | undefined,
  { ws }: MethodContext,
  triggerId?: string,
  /** Set for a Home tab: whose it is. */
  homeOf?: string,
): MethodResult {
  if (!view || typeof view !== 'object')
    return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view must be a JSON object'] } });
  const v = view as Json;
  const verdict = checkBlocks(v.blocks ?? [], homeOf ? 'home' : 'modal');
  if (!verdict.ok) return fail(verdict.error, { errors: verdict.errors });
  const id = existing?.id ?? ws.nextId('V');
  const stored: StoredView = {
    id,
    team_id: ws.identity.teamId,
    type: typeof v.type === 'string' ? v.type : 'modal',
    callback_id: typeof v.callback_id === 'string' ? v.callback_id : undefined,
    external_id: typeof v.external_id === 'string' ? v.external_id : existing?.external_id,
    private_metadata: typeof v.private_metadata === 'string' ? v.private_metadata : undefined,
    title: v.title as Json | undefined,
    blocks: verdict.blocks,
    hash: createHash('sha1')
      .update(`${id}:${Date.now()}:${JSON.stringify(v)}`)
      .digest('hex')
      .slice(0, 20),
    trigger_id: triggerId ?? existing?.trigger_id,
    state: existing?.state ?? { values: {} },
    ...(homeOf ? { user_id: homeOf } : {}),
  };
  ws.views.set(id, stored);
  ws.emitView(stored);
  return {
    ok: true,
    view: { ...clone(stored), app_id: 'A0OPSBOT', bot_id: ws.identity.botId, root_view_id: id, previous_view_id: null },
  };
}

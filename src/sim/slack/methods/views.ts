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
): MethodResult {
  if (!view || typeof view !== 'object')
    return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view must be a JSON object'] } });
  const v = view as Json;
  const verdict = checkBlocks(v.blocks ?? [], 'modal');
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
  };
  ws.views.set(id, stored);
  ws.emitView(stored);
  return {
    ok: true,
    view: { ...clone(stored), app_id: 'A0OPSBOT', bot_id: ws.identity.botId, root_view_id: id, previous_view_id: null },
  };
}

import type { EtlTargets } from '../../targets/etl/index.js';

/**
 * The facts an approval of `/spot start` is bound to: whether SpotManager's ETL cron line runs,
 * and which lines carry the bot's mark (the ones the start gives back). Someone starting it by
 * hand, or another run stopping it, between the approval and the start voids the approval.
 */
export async function spotManagerFacts(etl: EtlTargets): Promise<Record<string, string>> {
  const cron = await etl.spotManager().cronState();
  return {
    'SpotManager cron': cron.enabled ? 'enabled' : 'disabled',
    'lines disabled by the bot': cron.marked.map((l) => `line ${l.index + 1}`).join(', ') || 'none',
  };
}

import { createHash } from 'node:crypto';
import type { SpotEvent } from '../../targets/spotmanager/index.js';
import { escapeMrkdwn } from '../../format.js';

/** Two decimals, rounded up: a budget suggestion never falls short by a rounding. */
const ceil2 = (n: number) => Math.ceil(n * 100 - 1e-9) / 100;
const dollars = (n: number) => `$${n.toFixed(2)}/hour`;

/** The log line, without its timestamp, in code: what the thread quotes. */
function quote(e: SpotEvent): string {
  const text = escapeMrkdwn(e.line.replace(/^\S+ \S+ - /, '').trim()).replace(/`/g, "'");
  return `\`${text.slice(0, 300)}\``;
}

/**
 * What to do about a trouble line of SpotManager's log, for the thread, in the operator's terms.
 * `budget` is the ETL budget now ($/hour), when known: a "Can not fund" gets a budget to ask for.
 */
export function troubleAdvice(e: SpotEvent, budget: number | undefined): string {
  switch (e.kind) {
    case 'cannot-fund': {
      const short = e.utility * e.maxPrice;
      if (e.remainingBudget >= short && e.remainingBudget > 0) {
        return (
          `SpotManager says ${quote(e)}: the budget has room ($${e.remainingBudget}/hour left), ` +
          `but spot prices are above max_utility_price ($${e.maxPrice}/hour a utility point). ` +
          'Raising the budget alone will not help: raise max_utility_price in its ETL settings, ' +
          'or wait for prices to fall.'
        );
      }
      const suggest = budget !== undefined ? ceil2(budget + short) : undefined;
      const ask =
        suggest !== undefined
          ? ` to at least ${dollars(suggest)}: \`/etl budget ${suggest.toFixed(2)}\``
          : ' with `/etl budget DOLLARS`';
      return (
        `SpotManager says ${quote(e)}: the budget is too small for the work queue. Raise it${ask} ` +
        '(a second person approves; its next run applies it).'
      );
    }
    case 'setup-timeout':
      return (
        `SpotManager says ${quote(e)}: an instance did not finish its setup in time and was terminated. ` +
        'If it happens again the new ETL code may not start: look at `/spot log`, ' +
        'and cancel this run to move the branch back.'
      );
    case 'request-failed':
      return `SpotManager says ${quote(e)}: EC2 refused a spot request. ${/max spot instance count/i.test(e.reason) ? 'The account is at its spot instance limit: ask AWS for more, or lower max_requests_per_type.' : 'See `/spot log` for the cause.'}`;
    case 'startup-failure':
      return (
        `SpotManager says ${quote(e)}: it failed on startup and manages nothing until that is fixed. ` +
        'Look at `/spot log`; the pull of step 6 may have brought a change it cannot run.'
      );
    default:
      return `SpotManager says ${quote(e)}${
        e.detail?.length
          ? ` (${e.detail
              .slice(0, 2)
              .map((d) => d.trim())
              .join(' ')
              .slice(0, 200)})`
          : ''
      }. See \`/spot log\`.`;
  }
}

/** The same trouble repeated run after run is posted once: the key ignores the timestamp. */
export function troubleKey(e: SpotEvent): string {
  return `trouble:${createHash('sha256')
    .update(`${e.kind}:${e.line.replace(/^\S+ \S+ - /, '')}`)
    .digest('hex')
    .slice(0, 16)}`;
}

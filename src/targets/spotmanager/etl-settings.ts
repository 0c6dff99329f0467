import { isDeepStrictEqual } from 'node:util';
import { OperatorError } from '../../problem.js';
import { JsoncError, parseJsonc, topLevelValueSpan } from './jsonc.js';

/** What the bot reads from SpotManager's ETL settings file. */
export interface EtlSettings {
  /** Maximum dollars per hour for all instances. */
  budget: number;
  /** ec2.instance.name: the Name prefix of SpotManager's instances. */
  instanceName?: string;
  /** instance.work_queue.name: the queue SpotManager sizes the fleet by. */
  workQueue?: string;
  maxUtilityPrice?: number;
  minimumUtility?: number;
}

/** The settings file cannot be used as it is; `message` says where and why. */
export class SettingsFileError extends OperatorError {
  override name = 'SettingsFileError';
  constructor(message: string, next = 'Fix the file by hand, then ask again.') {
    super(message, next);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const pick = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);
const optString = (v: unknown) => (typeof v === 'string' ? v : undefined);
const optNumber = (v: unknown) => (typeof v === 'number' ? v : undefined);

function parse(text: string, where: string): Obj {
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch (err) {
    if (err instanceof JsoncError)
      throw new SettingsFileError(
        `${where} is not valid JSON (with // comments): ${err.message}. Fix the file by hand; nothing was changed.`,
      );
    throw err;
  }
  if (!isObj(value))
    throw new SettingsFileError(`${where} does not hold a JSON object. Fix the file by hand; nothing was changed.`);
  return value;
}

/** Reads the ETL settings; a malformed file or a missing budget is a SettingsFileError. */
export function readEtlSettings(text: string, where: string): EtlSettings {
  const o = parse(text, where);
  const budget = o.budget;
  if (typeof budget !== 'number' || !Number.isFinite(budget)) {
    throw new SettingsFileError(
      `${where} has no numeric top-level "budget" (found ` +
        `${JSON.stringify(budget) ?? 'nothing'}). Fix the file by hand; nothing was changed.`,
    );
  }
  const s: EtlSettings = { budget };
  const name = optString(pick(o, 'ec2', 'instance', 'name'));
  const queue = optString(pick(o, 'instance', 'work_queue', 'name'));
  const price = optNumber(o.max_utility_price);
  const minimum = optNumber(pick(o, 'instance', 'minimum_utility'));
  if (name !== undefined) s.instanceName = name;
  if (queue !== undefined) s.workQueue = queue;
  if (price !== undefined) s.maxUtilityPrice = price;
  if (minimum !== undefined) s.minimumUtility = minimum;
  return s;
}

/** Dollars per hour as the settings file writes them: at least two decimals ("2.50", "0.125"). */
export function formatBudget(n: number): string {
  const two = n.toFixed(2);
  return Number(two) === n ? two : String(n);
}

/**
 * The same text with only the budget's number replaced. The result is parsed again and compared
 * with the original: anything but the budget differing (it cannot, but this is the file that
 * spends money) refuses the edit.
 */
export function withBudget(text: string, budget: number, where: string): string {
  if (!Number.isFinite(budget) || budget < 0)
    throw new SettingsFileError(`a budget must be a non-negative number of dollars per hour (got ${budget})`);
  const before = parse(text, where);
  readEtlSettings(text, where);
  const span = topLevelValueSpan(text, 'budget');
  if (!span)
    throw new SettingsFileError(
      `${where}: could not locate the budget's number in the text. Edit it by hand; nothing was changed.`,
    );
  const out = text.slice(0, span.start) + formatBudget(budget) + text.slice(span.end);
  const after = parse(out, where);
  if (after.budget !== budget || !isDeepStrictEqual({ ...after, budget: null }, { ...before, budget: null })) {
    throw new SettingsFileError(`${where}: the edit would change more than the budget; nothing was changed.`);
  }
  return out;
}

import type { Json } from './types.js';

/**
 * Slack's Block Kit limits, checked the way Slack checks them: a message that breaks one is
 * refused with `invalid_blocks` and a json-pointer per problem. The point is to catch, in tests,
 * the bot messages that real Slack would refuse (long run logs in one section, 60 buttons...).
 */
const LIMITS = {
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  buttonValue: 2000,
  url: 3000,
};

export const MAX_BLOCKS = { message: 50, modal: 100, home: 100 } as const;

export type BlocksVerdict =
  { ok: true; blocks: Json[] } | { ok: false; error: 'invalid_blocks_format' | 'invalid_blocks'; errors: string[] };

/** Checks a `blocks` argument (already JSON-decoded when it was valid JSON). */
export function checkBlocks(blocks: unknown, surface: keyof typeof MAX_BLOCKS = 'message'): BlocksVerdict {
  if (
    !Array.isArray(blocks) ||
    blocks.some((b) => !b || typeof b !== 'object' || typeof (b as Json).type !== 'string')
  ) {
    return { ok: false, error: 'invalid_blocks_format', errors: ['blocks must be an array of objects with a type'] };
  }
  const errors: string[] = [];
  const max = MAX_BLOCKS[surface];
  if (blocks.length > max) errors.push(`must contain no more than ${max} items [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const block = raw as Json;
    const at = `/blocks/${i}`;
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id))
        errors.push(`duplicate block_id ${block.block_id} [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
      tooLong(block.block_id, LIMITS.blockId, `${at}/block_id`, errors);
    }
    checkBlock(block, at, errors);
  });
  return errors.length ? { ok: false, error: 'invalid_blocks', errors } : { ok: true, blocks: blocks as Json[] };
}

function checkBlock(block: Json, at: string, errors: string[]): void {
  switch (block.type) {
    case 'section': {
      const fields = Array.isArray(block.fields) ? (block.fields as Json[]) : undefined;
      if (!block.text && !fields) errors.push(`must provide either text or fields [json-pointer:${at}]`);
      if (block.text) textObject(block.text, LIMITS.sectionText, `${at}/text`, errors);
      fields?.forEach((f, j) => textObject(f, LIMITS.fieldText, `${at}/fields/${j}`, errors));
      if (fields && fields.length > LIMITS.sectionFields)
        errors.push(`must contain no more than ${LIMITS.sectionFields} items [json-pointer:${at}/fields]`);
      if (block.accessory && typeof block.accessory === 'object')
        checkElement(block.accessory as Json, `${at}/accessory`, errors);
      return;
    }
    case 'header':
      textObject(block.text, LIMITS.headerText, `${at}/text`, errors, 'plain_text');
      return;
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0)
        errors.push(`must contain at least 1 item [json-pointer:${at}/elements]`);
      else if (block.elements.length > LIMITS.contextElements)
        errors.push(`must contain no more than ${LIMITS.contextElements} items [json-pointer:${at}/elements]`);
      return;
    case 'actions': {
      const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
      if (elements.length === 0) errors.push(`must contain at least 1 item [json-pointer:${at}/elements]`);
      if (elements.length > LIMITS.actionsElements)
        errors.push(`must contain no more than ${LIMITS.actionsElements} items [json-pointer:${at}/elements]`);
      const actionIds = new Set<string>();
      elements.forEach((e, j) => {
        if (typeof e.action_id === 'string') {
          if (actionIds.has(e.action_id))
            errors.push(`duplicate action_id ${e.action_id} [json-pointer:${at}/elements/${j}/action_id]`);
          actionIds.add(e.action_id);
        }
        checkElement(e, `${at}/elements/${j}`, errors);
      });
      return;
    }
    default:
      return; // divider, image, rich_text, input...: no limits that the bot is likely to reach
  }
}

function checkElement(element: Json, at: string, errors: string[]): void {
  if (typeof element.action_id === 'string') tooLong(element.action_id, LIMITS.actionId, `${at}/action_id`, errors);
  if (element.type !== 'button') return;
  textObject(element.text, LIMITS.buttonText, `${at}/text`, errors, 'plain_text');
  if (typeof element.value === 'string') tooLong(element.value, LIMITS.buttonValue, `${at}/value`, errors);
  if (typeof element.url === 'string') tooLong(element.url, LIMITS.url, `${at}/url`, errors);
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    errors.push(`must be one of primary, danger [json-pointer:${at}/style]`);
  }
}

function textObject(value: unknown, max: number, at: string, errors: string[], only?: 'plain_text'): void {
  const t = value as Json | undefined;
  if (!t || typeof t !== 'object' || typeof t.text !== 'string') {
    errors.push(`must provide an object [json-pointer:${at}]`);
    return;
  }
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn')
    errors.push(`must be one of plain_text, mrkdwn [json-pointer:${at}/type]`);
  else if (only && t.type !== only) errors.push(`must be a ${only} text object [json-pointer:${at}/type]`);
  if (t.text.length === 0) errors.push(`must be more than 0 characters [json-pointer:${at}/text]`);
  tooLong(t.text, max, `${at}/text`, errors);
}

function tooLong(text: string, max: number, at: string, errors: string[]): void {
  if (text.length > max) errors.push(`must be less than ${max + 1} characters [json-pointer:${at}]`);
}

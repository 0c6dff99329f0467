import type { Json } from './types.js';

export interface ButtonElement extends Json {
  type: 'button';
  action_id: string;
  text: { type: string; text: string };
  value?: string;
  style?: 'primary' | 'danger';
  url?: string;
}

export interface LocatedButton {
  button: ButtonElement;
  /** The block holding it (Slack reports it in the click payload). */
  block_id: string | undefined;
}

/** The button with this action_id in a message's blocks (actions blocks and section accessories). */
export function findButton(blocks: unknown, actionId: string): ButtonElement | undefined {
  return locateButton(blocks, actionId)?.button;
}

export function locateButton(blocks: unknown, actionId: string): LocatedButton | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const raw of blocks) {
    const block = raw as Json;
    const candidates = [
      ...(Array.isArray(block.elements) ? (block.elements as unknown[]) : []),
      ...(block.accessory ? [block.accessory] : []),
    ] as Json[];
    for (const el of candidates) {
      if (el && el.type === 'button' && el.action_id === actionId) {
        return {
          button: el as ButtonElement,
          block_id: typeof block.block_id === 'string' ? block.block_id : undefined,
        };
      }
    }
  }
  return undefined;
}

/** Every button in the blocks, in reading order: what a console offers the user to press. */
export function listButtons(blocks: unknown): LocatedButton[] {
  if (!Array.isArray(blocks)) return [];
  const found: LocatedButton[] = [];
  for (const raw of blocks) {
    const block = raw as Json;
    const candidates = [
      ...(block.accessory ? [block.accessory] : []),
      ...(Array.isArray(block.elements) ? (block.elements as unknown[]) : []),
    ] as Json[];
    for (const el of candidates) {
      if (el && el.type === 'button' && typeof el.action_id === 'string') {
        found.push({
          button: el as ButtonElement,
          block_id: typeof block.block_id === 'string' ? block.block_id : undefined,
        });
      }
    }
  }
  return found;
}

import type { Health } from '../../runbooks/index.js';

export function healthEmoji(h: Health | 'unknown'): string {
  return h === 'green'
    ? ':large_green_circle:'
    : h === 'yellow'
      ? ':large_yellow_circle:'
      : h === 'red'
        ? ':red_circle:'
        : ':white_circle:';
}

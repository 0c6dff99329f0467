// Slack emoji short names the bot uses (and a few common ones) → Unicode. Unknown names stay as text.
export const EMOJI = {
  white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', x: '❌', no_entry: '⛔', no_entry_sign: '🚫',
  warning: '⚠️', rotating_light: '🚨', information_source: 'ℹ️', bulb: '💡', question: '❓', exclamation: '❗',
  hourglass_flowing_sand: '⏳', hourglass: '⌛', alarm_clock: '⏰', stopwatch: '⏱️', clock1: '🕐',
  arrows_counterclockwise: '🔄', repeat: '🔁', rewind: '⏪', fast_forward: '⏩', arrow_forward: '▶️', arrow_right: '➡️',
  octagonal_sign: '🛑', raised_hand: '✋', raising_hand: '🙋', wave: '👋', thumbsup: '👍', '+1': '👍', eyes: '👀',
  red_circle: '🔴', large_green_circle: '🟢', large_yellow_circle: '🟡', large_orange_circle: '🟠', large_blue_circle: '🔵',
  white_circle: '⚪', black_circle: '⚫', green_heart: '💚',
  page_facing_up: '📄', mag: '🔍', gear: '⚙️', wrench: '🔧', hammer_and_wrench: '🛠️', broom: '🧹', package: '📦',
  tada: '🎉', rocket: '🚀', fire: '🔥', lock: '🔒', key: '🔑', memo: '📝', clipboard: '📋', chart_with_upwards_trend: '📈',
  runner: '🏃', running: '🏃', construction: '🚧', zzz: '💤', hourglass_done: '⌛', link: '🔗', robot_face: '🤖',
};

/** Replaces :short_name: with the emoji, inside already-escaped HTML. */
export function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => (EMOJI[name] ? `<span class="emoji" title=":${name}:">${EMOJI[name]}</span>` : whole));
}

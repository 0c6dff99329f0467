import { describe, expect, test } from 'vitest';
import { renderBlocksAsText } from '../../../src/sim/slack/render-text.js';
import { mrkdwnToText } from '../../../src/sim/slack/mrkdwn-to-text.js';

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });

describe('renderBlocksAsText', () => {
  test('no blocks: the fallback text, with mentions and links made readable', () => {
    expect(renderBlocksAsText(undefined, 'hi <@U123>, see <https://x.test/run/7|run 7>')).toBe(
      'hi @U123, see run 7 (https://x.test/run/7)',
    );
    expect(renderBlocksAsText([], 'plain')).toBe('plain');
  });

  test('an approval message: header, section, divider, context and pressable buttons', () => {
    const text = renderBlocksAsText(
      [
        { type: 'header', text: plain('Approval needed') },
        { type: 'section', text: mrkdwn('<@U0ALICE> wants to *stop node-3* on <#C0OPS|ops>') },
        { type: 'divider' },
        {
          type: 'context',
          elements: [mrkdwn('run 7 · step 3 of 5'), { type: 'image', image_url: 'x', alt_text: 'es' }],
        },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'approve', text: plain('Approve'), style: 'primary' },
            { type: 'button', action_id: 'deny', text: plain('Deny'), style: 'danger' },
          ],
        },
      ],
      'fallback',
    );
    expect(text).toBe(
      [
        '== Approval needed ==',
        '@U0ALICE wants to *stop node-3* on #ops',
        '-'.repeat(40),
        'run 7 · step 3 of 5  [image: es]',
        '[ Approve ] (approve)  [ Deny ] (deny)',
      ].join('\n'),
    );
  });

  test('section fields line up in two columns; an accessory button follows the text', () => {
    const text = renderBlocksAsText(
      [
        {
          type: 'section',
          text: mrkdwn('Drain node-3'),
          accessory: { type: 'button', action_id: 'cancel_run', text: plain('Cancel') },
          fields: [
            mrkdwn('*Cluster:*\nactive-data'),
            mrkdwn('*Shards left:*\n120'),
            mrkdwn('*Moved:*'),
            mrkdwn('1.2 TB'),
          ],
        },
      ],
      '',
    );
    expect(text).toBe(
      [
        'Drain node-3  [ Cancel ] (cancel_run)',
        '*Cluster:*   *Shards left:*',
        'active-data  120',
        '*Moved:*     1.2 TB',
      ].join('\n'),
    );
  });

  test('rich_text: sections, lists, code and quotes', () => {
    const text = renderBlocksAsText(
      [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Steps ' },
                { type: 'text', text: 'done', style: { bold: true } },
                { type: 'user', user_id: 'U1' },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'ordered',
              elements: [
                { type: 'rich_text_section', elements: [{ type: 'text', text: 'disable allocation' }] },
                { type: 'rich_text_section', elements: [{ type: 'link', url: 'https://x.test', text: 'move shards' }] },
              ],
            },
            { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'GET _cat/allocation' }] },
            { type: 'rich_text_quote', elements: [{ type: 'text', text: 'careful' }] },
          ],
        },
      ],
      '',
    );
    expect(text).toBe(
      [
        'Steps *done*@U1',
        '1. disable allocation',
        '2. move shards (https://x.test)',
        '```\nGET _cat/allocation\n```',
        '> careful',
      ].join('\n'),
    );
  });

  test('unknown blocks are named rather than dropped silently', () => {
    expect(renderBlocksAsText([{ type: 'video' }], '')).toBe('[video block]');
  });
});

describe('mrkdwnToText', () => {
  test('mentions, groups, broadcasts, dates, links and entities', () => {
    expect(mrkdwnToText('<@U1> <@U2|bob> <!subteam^S1|@approvers> <!here> <!date^1700000000^{date}|Nov 14>')).toBe(
      '@U1 @bob @approvers @here Nov 14',
    );
    expect(mrkdwnToText('<https://a.test> and <mailto:x@a.test|x@a.test>')).toBe(
      'https://a.test and x@a.test (mailto:x@a.test)',
    );
    expect(mrkdwnToText('a &lt; b &amp;&amp; c &gt; d')).toBe('a < b && c > d');
    expect(mrkdwnToText('*bold* _it_ `code`')).toBe('*bold* _it_ `code`');
  });
});

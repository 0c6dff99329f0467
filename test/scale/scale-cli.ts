/**
 * `npm run scale [-- --seed S --runs N --kills K]`: the scale campaign of issue 18.6 at full size
 * (2 web, 3 workers, 5 clusters, 20 runs, random SIGKILLs, a Redis restart). Prints what happened
 * and exits 1 if any run did not end done, a change reached a cluster twice, or Slack said 429.
 */
import { parseArgs } from 'node:util';
import { runScaleCampaign } from './scale-harness.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    runs: { type: 'string', default: '4' },
    kills: { type: 'string', default: '8' },
  },
});
const runsPerCluster = Number(values.runs);
const r = await runScaleCampaign({
  webs: 2,
  workers: 3,
  clusters: 5,
  runsPerCluster,
  kills: Number(values.kills),
  redisRestart: true,
  seed: Number(values.seed),
  timeoutMs: 600_000,
});
const notDone = r.runs.filter((x) => !x.finalText.includes('Done in'));
const twice = Object.entries(r.settingsWrites).filter(([, n]) => n !== runsPerCluster);
process.stdout.write(
  `${r.runs.length} runs in ${(r.wallMs / 1000).toFixed(0)} s; kills: ${r.kills.join(', ')}\n` +
    `settings writes per cluster: ${JSON.stringify(r.settingsWrites)} (expected ${runsPerCluster} each)\n` +
    `chat.update calls: ${r.chatUpdates}, answered 429: ${r.rateLimited}\n` +
    `not done: ${notDone.map((x) => `${x.command} on ${x.cluster}`).join(', ') || 'none'}\n`,
);
process.exit(notDone.length || twice.length || r.rateLimited ? 1 : 0);

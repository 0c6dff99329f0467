/**
 * The yardstick for the ack benchmark: a bare Bolt app on the same receiver (HTTPReceiver, signed
 * requests), with the same Web API client settings, that acks every slash command and posts one
 * ephemeral reply through its response_url. Nothing else: what opsbot's web process adds on top
 * of this is what the ratio in `npm run bench ack` measures.
 */
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN!,
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL!, retryConfig: { retries: 0 } },
});
app.command(/.*/, async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', text: 'ok' });
});
void app.start({ port: Number(process.env.PORT), host: process.env.HOST! });

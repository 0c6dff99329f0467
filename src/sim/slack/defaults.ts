/**
 * The workspace the fake pretends to be and the driver pretends to come from. Both default to
 * these, so a test that names none of them still gets payloads and answers that agree.
 */
export const SIM_DEFAULTS = {
  botToken: 'xoxb-test',
  teamId: 'T0OPSTEST',
  teamDomain: 'opsbot-test',
  botUserId: 'U0OPSBOT',
  botId: 'B0OPSBOT',
  apiAppId: 'A0OPSBOT',
} as const;

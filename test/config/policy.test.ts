import { describe, expect, test } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';

describe('policy file', () => {
  test('valid rules, with defaults', () => {
    const p = parsePolicy(
      'rules:\n  - command: "es drain"\n    approvals: 2\n    approvers: { usergroups: [S0ESADMINS] }\n' +
        '  - command: "es *"\n    channels: [C0OPS]\n',
      'policy.yaml',
    );
    expect(p.rules).toEqual([
      { command: 'es drain', approvals: 2, approvers: { users: [], usergroups: ['S0ESADMINS'] } },
      { command: 'es *', channels: ['C0OPS'] },
    ]);
  });

  test.each([
    ['rules:\n  - command: "es drain"\n    approvals: 0\n', 'policy.yaml:3: rules.0.approvals: Too small'],
    ['rules:\n  - command: "es drain"\n  - command: "rm -rf"\n', 'policy.yaml:3: rules.1.command: must look like'],
    [
      'rules:\n  - command: "es drain"\n    channels: [ops]\n',
      'policy.yaml:3: rules.0.channels.0: must be a Slack channel ID',
    ],
    [
      'rules:\n  - command: "es *"\n    aprovers: { users: [U1] }\n',
      'policy.yaml:2: rules.0: Unrecognized key: "aprovers"',
    ],
    ['rules: [\n', 'policy.yaml:2: not valid YAML'],
  ])('a malformed policy names the line and the problem: %s', (text, message) => {
    expect(() => parsePolicy(text, 'policy.yaml')).toThrow(message);
  });
});

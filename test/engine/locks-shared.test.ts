import { afterEach, describe, expect, test } from 'vitest';
import { RunLockedError, type AnyRunbook } from '../../src/engine/index.js';
import { allRunbooks, type RunbookDeps } from '../../src/runbooks/index.js';
import { APPROVER, harness, REQUESTER, type Harness } from './helpers.js';

// Their lock() reads nothing of the estate: the runbooks are built without deps to ask them.
const runbooks = new Map(allRunbooks({} as RunbookDeps).map((rb) => [rb.name, rb]));
const lockOf = async (name: string) => runbooks.get(name)!.lock?.({});

/** A stand-in run under a real runbook's lock (its steps would need the estate). */
const underLockOf = (name: string): AnyRunbook => ({
  name: `as.${name}`,
  summary: () => `as ${name}`,
  lock: (p: object) => runbooks.get(name)!.lock!(p),
  steps: [{ id: 'write', title: 'Write', destructive: true, run: () => Promise.resolve({ status: 'done' }) }],
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('every runbook that changes the same thing takes the same lock', () => {
  test('SpotManager: ETL deploy, /spot start, /etl budget; frontend: ActiveData deploy/rollback/restart', async () => {
    const spot = await Promise.all(['etl.deploy', 'spot.start', 'etl.budget'].map(lockOf));
    expect(new Set(spot)).toEqual(new Set(['etl-spotmanager']));
    const frontend = await Promise.all(['activedata.deploy', 'activedata.rollback', 'activedata.restart'].map(lockOf));
    expect(new Set(frontend)).toEqual(new Set(['activedata-frontend']));
  });

  test('/spot start and /etl budget are refused while an ETL deploy holds SpotManager, naming the deploy', async () => {
    h = await harness({ runbooks: ['etl.deploy', 'spot.start', 'etl.budget'].map(underLockOf), worker: false });
    const base = { requester: REQUESTER, channel: 'C1', params: {} };
    const { run: deploy } = await h.engine.createRun({ ...base, runbook: 'as.etl.deploy' });
    for (const other of ['as.spot.start', 'as.etl.budget']) {
      const refused = await h.engine
        .createRun({ ...base, requester: APPROVER, runbook: other })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RunLockedError);
      expect((refused as RunLockedError).holder.id).toBe(deploy.id);
      expect((refused as Error).message).toContain(`the etl-spotmanager lock is held by run ${deploy.id}`);
    }
  });
});

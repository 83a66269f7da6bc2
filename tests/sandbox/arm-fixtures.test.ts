import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { issueAccessToken } from '../../src/sandbox/tokens.ts';
import { manualClock, startTestSandbox } from '../support/sandbox.ts';

// The recordings sit beside the repository (CI clones shared/ next to it).
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/azure/${name}`, import.meta.url), 'utf8').trim();

// The caller of the 2018 CLI recordings.
const CALLER = {
  tenantId: '1b1121dd-6900-412a-af73-e8d44f81e1c1',
  objectId: 'aa67f786-0552-423e-8849-244ed12bf581',
};
// The caller of the PowerShell recording (a partner whose name the service knows).
const NAMED_CALLER = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  objectId: 'ac9a0626-3ff0-46e2-9974-bbfba246f6dc',
};
const PARTNERS = '/providers/Microsoft.ManagementPartner/partners';

describe('simulated ManagementPartner answers byte for byte like the recordings', () => {
  const clock = manualClock();
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    // Start at the default (present-day) time: the sandbox's TLS certificate is dated from it.
    sandbox = await startTestSandbox({ clock });
    // The recordings' IDs; an empty name is how the 2018 service answered (no partnerName).
    sandbox.world.change((state) => {
      state.knownPartnerIds.push(
        { partnerId: '123456', partnerName: '' },
        { partnerId: '123457', partnerName: '' },
        { partnerId: '5127255', partnerName: 'Test_Test_DhirajTesting' },
      );
    });
  });
  afterAll(() => sandbox.close());

  beforeEach(() => {
    clock.set(new Date('2018-02-11T22:18:10Z'));
    sandbox.world.change((state) => {
      state.partnerLinks = [
        {
          ...CALLER,
          partnerId: '123456',
          etag: 57,
          version: 57,
          updatedTime: '2018-02-11T22:18:03.2858169Z',
          createdTime: '2018-01-20T01:23:40.5280496Z',
          state: 'Active',
        },
        {
          ...NAMED_CALLER,
          partnerId: '5127255',
          etag: 20,
          version: 20,
          updatedTime: '2018-07-30T21:13:59.318186Z',
          createdTime: '2018-02-21T20:07:21.1341292Z',
          state: 'Active',
        },
      ];
    });
  });

  const call = async (caller: { tenantId: string; objectId: string }, method: string, path: string) => {
    const token = await issueAccessToken(sandbox.context, caller);
    const response = await fetch(`${sandbox.url}${path}?api-version=2018-02-01`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };

  it('GET /partners and GET /partners/123456 return the recorded PUT body', async () => {
    for (const path of [PARTNERS, `${PARTNERS}/123456`]) {
      const response = await call(CALLER, 'GET', path);
      expect(response.status).toBe(200);
      expect(response.type).toBe('application/json; charset=utf-8');
      expect(response.text).toBe(fixture('managementpartner-put-200.json'));
    }
  });

  it('a repeated PUT of the linked ID is idempotent and returns the recorded body', async () => {
    const response = await call(CALLER, 'PUT', `${PARTNERS}/123456`);
    expect(response.status).toBe(200);
    expect(response.text).toBe(fixture('managementpartner-put-200.json'));
  });

  it('a PUT for a partner whose name the service knows carries partnerName after partnerId', async () => {
    const response = await call(NAMED_CALLER, 'PUT', `${PARTNERS}/5127255`);
    expect(response.text).toBe(fixture('managementpartner-put-200-with-name.json'));
  });

  it('PATCH re-points 123456 → 123457 with etag and version 64 like the recording', async () => {
    // The recording's PATCH was the seventh write after the PUT; put the link one write before it.
    sandbox.world.change((state) => {
      Object.assign(state.partnerLinks[0]!, { etag: 63, version: 63 });
    });
    clock.set(new Date('2018-02-11T22:18:14.221Z'));
    const response = await call(CALLER, 'PATCH', `${PARTNERS}/123457`);
    expect(response.status).toBe(200);
    // A Date holds milliseconds: the sandbox writes .2210000 where the service wrote .2210619.
    // Everything else, bytes and order, is the recording.
    const recorded = fixture('managementpartner-patch-200.json');
    expect(recorded).toContain('"updatedTime":"2018-02-11T22:18:14.2210619Z"');
    expect(response.text).toBe(recorded.replace('22:18:14.2210619Z', '22:18:14.2210000Z'));
  });

  it('PUT of an ID the service does not know is 400 PartnerIdInvalid with the recorded body', async () => {
    const response = await call(CALLER, 'PUT', `${PARTNERS}/999999`);
    expect(response.status).toBe(400);
    expect(response.text).toBe(fixture('managementpartner-put-400-invalid.json'));
  });

  it('GET and PATCH without a link are 404 ManagementPartnerNotFound with the recorded body', async () => {
    const stranger = { tenantId: CALLER.tenantId, objectId: '00000000-0000-4000-8000-000000000999' };
    const notLinked = fixture('managementpartner-get-404-not-linked.json');
    for (const [method, path] of [
      ['GET', `${PARTNERS}/123456`],
      ['GET', PARTNERS],
      ['PATCH', `${PARTNERS}/123456`],
    ] as const) {
      const response = await call(stranger, method, path);
      expect(response.status).toBe(404);
      expect(response.text).toBe(notLinked);
    }
  });

  it('DELETE answers 200 with an empty body, linked or not, and the link then reads as missing', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await call(CALLER, 'DELETE', `${PARTNERS}/123456`);
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    }
    expect((await call(CALLER, 'GET', PARTNERS)).status).toBe(404);
    expect(sandbox.world.state.partnerLinks[0]).toMatchObject({ state: 'Deleted', etag: 58, version: 58 });
  });

  it('a PUT after a DELETE relinks with the next version and keeps createdTime', async () => {
    await call(CALLER, 'DELETE', `${PARTNERS}/123456`);
    clock.set(new Date('2018-03-01T10:00:00.5Z'));
    const response = await call(CALLER, 'PUT', `${PARTNERS}/123457`);
    expect(JSON.parse(response.text)).toMatchObject({
      etag: 59,
      properties: {
        partnerId: '123457',
        version: 59,
        updatedTime: '2018-03-01T10:00:00.5000000Z',
        createdTime: '2018-01-20T01:23:40.5280496Z',
        state: 'Active',
      },
    });
  });
});

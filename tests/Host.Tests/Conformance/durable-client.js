// Conformance cases for the local host's Durable Functions management API, driven by the official npm
// `durable-functions` client (pinned in the repository's package.json). The client is obtained the way a Functions
// app gets it (getClient(context) with the durable client binding data the Durable extension would pass), in both of
// its modes: management URL templates (taskHub/connection/code in every URL) and rpcBaseUrl.
// Environment: HOST_BASE (http://127.0.0.1:PORT/), TASK_HUB, COMPLETED_ID, FAILED_ID, PURGE_ID (instances the test
// prepared). Prints one JSON line per case: {"case", "ok", "error"}; exit code 0 when every case passed.
'use strict';
const df = require('durable-functions');

const base = process.env.HOST_BASE.replace(/\/?$/, '/');
const hub = process.env.TASK_HUB;
const completedId = process.env.COMPLETED_ID;
const failedId = process.env.FAILED_ID;
const purgeIds = (process.env.PURGE_IDS || '').split(',').filter(Boolean);
const webhooks = `${base}runtime/webhooks/durabletask`;
// getClient rewrites every origin to http://localhost:7071 unless the app says where it runs.
process.env.WEBSITE_HOSTNAME = new URL(base).host;

function bindingData(withRpc) {
  const q = `taskHub=${hub}&connection=Storage&code=local`;
  return {
    taskHubName: hub,
    creationUrls: {
      createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?code=local`,
      createAndWaitOnNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=local`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${webhooks}/instances/INSTANCEID?${q}`,
      sendEventPostUri: `${webhooks}/instances/INSTANCEID/raiseEvent/{eventName}?${q}`,
      terminatePostUri: `${webhooks}/instances/INSTANCEID/terminate?reason={text}&${q}`,
      rewindPostUri: `${webhooks}/instances/INSTANCEID/rewind?reason={text}&${q}`,
      purgeHistoryDeleteUri: `${webhooks}/instances/INSTANCEID?${q}`,
      restartPostUri: `${webhooks}/instances/INSTANCEID/restart?${q}`,
      suspendPostUri: `${webhooks}/instances/INSTANCEID/suspend?reason={text}&${q}`,
      resumePostUri: `${webhooks}/instances/INSTANCEID/resume?reason={text}&${q}`,
    },
    baseUrl: webhooks,
    requiredQueryStringParameters: 'code=local',
    rpcBaseUrl: withRpc ? `${webhooks}/` : undefined,
  };
}

// What the Functions host hands a function with a durableClient input binding.
// The status of the client's last HTTP answer. The client builds some errors as new Error(response.data || text):
// our error bodies are RFC 9457 problem objects, so those messages read "[object Object]"; the status shows which
// branch of the client answered.
let lastStatus = 0;

function clientFor(withRpc) {
  const input = { type: 'durableClient', name: 'starter' };
  const data = bindingData(withRpc);
  const context = { options: { extraInputs: [input] }, extraInputs: { get: () => data } };
  const client = df.getClient(context);
  client.axiosInstance.interceptors.response.use(r => { lastStatus = r.status; return r; });
  return client;
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function rejects(promise, pattern) {
  try {
    await promise;
  } catch (e) {
    assert(!pattern || pattern.test(e.message), `unexpected error: ${e.message}`);
    return e;
  }
  throw new Error('expected a rejection, the call succeeded');
}

function casesFor(client) {
  return {
    async getStatus_completed_includesInput() {
      const status = await client.getStatus(completedId);
      assert(status.runtimeStatus === 'Completed', `runtimeStatus ${status.runtimeStatus}`);
      assert(status.input !== null && status.input !== undefined, 'input missing');
      assert(status.instanceId === completedId, `instanceId ${status.instanceId}`);
    },

    async getStatusBy_listsWithInputByDefault() {
      const list = await client.getStatusBy({ runtimeStatus: [df.OrchestrationRuntimeStatus.Completed] });
      const mine = list.find(s => s.instanceId === completedId);
      assert(mine, 'completed instance not listed');
      assert(mine.input !== null && mine.input !== undefined, 'list answered input: null (showInput must default to true)');
    },

    async getStatusAll_followsContinuation() {
      const all = await client.getStatusAll();
      assert(Array.isArray(all) && all.some(s => s.instanceId === failedId), 'failed instance not in getStatusAll');
    },

    async getStatus_unknown_rejectsAsNotFound() {
      await rejects(client.getStatus('no-such-instance-xyz'), /404/);
    },

    async getStatus_otherTaskHub_isNotAnsweredForOurs() {
      await rejects(client.getStatus(completedId, { taskHubName: 'SomeOtherHub' }), /404|400/);
    },

    async rewind_failed_isRewoundOrNotSupported() {
      try {
        await client.rewind(failedId, 'conformance');
        assert(lastStatus === 202, `rewind resolved on HTTP ${lastStatus}`);
      } catch (e) {
        // 501 is the client's "not supported by the underlying storage provider" branch; never its 404 branch.
        assert(lastStatus === 501, `rewind of a failed instance answered HTTP ${lastStatus}: ${e.message}`);
      }
    },

    async rewind_completed_isRefusedNotMissing() {
      await rejects(client.rewind(completedId, 'conformance'));
      assert(lastStatus === 410, `rewind of a completed instance answered HTTP ${lastStatus}`);
    },

    async rewind_unknown_rejectsAsMissing() {
      await rejects(client.rewind('no-such-instance-xyz', 'conformance'));
      assert(lastStatus === 404, `rewind of an unknown instance answered HTTP ${lastStatus}`);
    },

    async raiseEvent_completed_isGoneNotAnError() {
      await client.raiseEvent(completedId, 'Approve', { ok: true });
    },

    async raiseEvent_unknown_rejects() {
      await rejects(client.raiseEvent('no-such-instance-xyz', 'Approve', { ok: true }), /No instance with ID/);
    },

    async terminate_completed_isGoneNotAnError() {
      await client.terminate(completedId, 'conformance');
    },

    async suspendResume_unknown_reject() {
      await rejects(client.suspend('no-such-instance-xyz', 'x'), /No instance with ID/);
      await rejects(client.resume('no-such-instance-xyz', 'x'), /No instance with ID/);
    },

    async createHttpManagementPayload_urlsWork() {
      const payload = client.createHttpManagementPayload(completedId);
      const response = await fetch(payload.statusQueryGetUri);
      assert(response.status === 200, `status URL answered ${response.status}`);
      const body = await response.json();
      assert(body.runtimeStatus === 'Completed', `runtimeStatus ${body.runtimeStatus}`);
    },

    async waitForCompletion_completed_returnsOutput() {
      const response = await client.waitForCompletionOrCreateCheckStatusResponse(
        { url: `${base}api/anything` }, completedId, { timeoutInMilliseconds: 5000, retryIntervalInMilliseconds: 500 });
      assert(response.status === 200, `status ${response.status}`);
    },

    async purgeInstanceHistory_removesOne() {
      const id = purgeIds.shift();
      const result = await client.purgeInstanceHistory(id);
      assert(result.instancesDeleted === 1, `instancesDeleted ${result.instancesDeleted}`);
      await rejects(client.getStatus(id), /404/);
    },
  };
}

async function main() {
  let failed = 0;
  for (const [mode, withRpc] of [['urls', false], ['rpc', true]]) {
    const client = clientFor(withRpc);
    for (const [name, fn] of Object.entries(casesFor(client))) {
      const label = `${mode}:${name}`;
      try {
        await fn();
        console.log(JSON.stringify({ case: label, ok: true }));
      } catch (e) {
        failed++;
        console.log(JSON.stringify({ case: label, ok: false, error: e.message }));
      }
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch(e => {
  console.log(JSON.stringify({ case: 'setup', ok: false, error: e.message }));
  process.exitCode = 1;
});

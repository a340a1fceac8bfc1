'use strict';

/**
 * A local-only Serverless plugin (`serverless offline` only; it does nothing when packaging or deploying): how often
 * serverless-offline-dynamodb-streams polls the table's stream for each consumer.
 *
 * That plugin (8.0.1) builds each consumer's poller (dynamodb-streams-readable) from the options of its `stream` event
 * alone: `custom.serverless-offline-dynamodb-streams.readInterval`, which its README documents, never reaches a
 * poller. Every consumer therefore ran on the poller's default of 500 ms, which it waits twice: between two empty
 * GetRecords, and again after a non-empty one before it hands the records to the function. A case event waited on
 * average 250 + 500 ms before the alert function even started (issue 9: about 750 of the 930 ms idle p50).
 * osls rejects unknown keys in a `stream` event, so serverless.yml cannot set it there: this plugin copies the
 * interval onto each stream event once the configuration has been validated, before the poller is built:
 *   custom.serverless-offline-dynamodb-streams.readInterval   every consumer (ms)
 *   custom.offlineStreamReadInterval.<functionKey>            one consumer (ms), e.g. the alert function
 */
class OfflineStreamPolling {
  constructor(serverless) {
    this.serverless = serverless;
    const apply = () => this.apply();
    this.hooks = { 'before:offline:start:init': apply, 'before:offline:start': apply };
  }

  apply() {
    const { service } = this.serverless;
    const custom = service.custom ?? {};
    const all = custom['serverless-offline-dynamodb-streams']?.readInterval;
    const perFunction = custom.offlineStreamReadInterval ?? {};
    for (const key of Object.keys(perFunction)) {
      if (!service.getAllFunctions().includes(key)) throw new Error(`offlineStreamReadInterval: no function ${key}`);
    }
    for (const functionKey of service.getAllFunctions()) {
      const ms = perFunction[functionKey] ?? all;
      if (ms === undefined) continue;
      if (!Number.isInteger(Number(ms)) || Number(ms) < 1) {
        throw new Error(`stream read interval of ${functionKey} must be a whole number of ms ≥ 1, not ${ms}`);
      }
      for (const event of service.getAllEventsInFunction(functionKey) ?? []) {
        if (event.stream && typeof event.stream === 'object') event.stream.readInterval = Number(ms);
      }
    }
  }
}

module.exports = OfflineStreamPolling;

// Cloudflare list prices used by `npm run bench:cost`, as published on
// developers.cloudflare.com (Workers, D1, Durable Objects, Queues, KV and R2
// pricing pages) and read on the date below. Marginal prices only: each
// product's monthly included amount and the Workers Paid plan's $5/month base fee
// are left out of the per-launch figure and listed apart. Update the date with the numbers.
export const PRICES_READ_ON = "2026-11-28";

export const PRICES = {
  workerRequestsPerM: 0.3, // Workers Standard: $0.30 per million requests
  workerCpuMsPerM: 0.02, // $0.02 per million CPU milliseconds
  d1RowsReadPerM: 0.001, // D1: $0.001 per million rows read
  d1RowsWrittenPerM: 1.0, // $1.00 per million rows written
  doRequestsPerM: 0.15, // Durable Objects: $0.15 per million requests
  doGbSecondsPerM: 12.5, // $12.50 per million GB-s of duration (128 MB per object)
  queueOpsPerM: 0.4, // Queues: $0.40 per million operations (write, read, delete: 3 per message)
  kvReadsPerM: 0.5, // KV: $0.50 per million reads
  kvWritesPerM: 5.0, // $5.00 per million writes, deletes and lists
  r2ClassAPerM: 4.5, // R2: $4.50 per million Class A operations
  r2ClassBPerM: 0.36, // $0.36 per million Class B operations
} as const;

/** Monthly base fees and allowances, not part of the marginal cost of a launch. */
export const BASE = {
  workersPaidPerMonth: 5,
  included: "10M Worker requests, 30M CPU-ms, 25B D1 rows read, 50M rows written, 1M DO requests, 400k GB-s, 1M queue operations, 10M KV reads, 1M KV writes, 1M R2 class A, 10M class B per month",
} as const;

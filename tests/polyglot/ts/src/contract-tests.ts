// A client of the bp-temporal workers written with the TypeScript SDK from npm, from docs/contracts.md and the
// JSON Schemas alone (no project code): the happy path, signals and queries of every workflow, then every
// malformed payload of ../cases.json — each must end within seconds as the documented typed failure naming the
// field, never stuck, never completed with a changed value, never with an effect (no activity ever scheduled).
//
//   TEMPORAL_ADDRESS      frontend, default 127.0.0.1:7233 (make run)
//   POLY_RUN              unique token of this run (ids are built from it), default: the current time
//   POLY_PIPELINE_TABLE   table for the pipeline's happy path, default demo_customers (make run's pipeline demo)
//   POLY_TIMEOUT_SECONDS  how long one workflow may take before it counts as stuck, default 60
import { ApplicationFailure, Client, Connection, WorkflowFailedError, WorkflowHandle } from '@temporalio/client';
import * as fs from 'fs';
import * as path from 'path';

const ORDERS = { namespace: 'orders', taskQueue: 'orders-tq' };
const PIPELINES = { namespace: 'pipelines', taskQueue: 'pipelines-tq' };
const ACTIVITIES = { namespace: 'pipelines', taskQueue: 'activities-tq' };
const TYPES: Record<string, typeof ORDERS> = {
  OrderSagaWorkflow: ORDERS,
  DataPipelineWorkflow: PIPELINES,
  RunActivityWorkflow: ACTIVITIES,
};

interface Case {
  name: string;
  workflow: string;
  workflow_id?: string;
  input?: unknown;
  raw?: string;
  expect: { code: string; paths: string[] };
}

interface Cases {
  valid: { order: unknown; pipeline: unknown; run: unknown };
  malformed_signals: { name: string; signal: unknown }[];
  cases: Case[];
}

const run = process.env.POLY_RUN ?? `${Date.now()}`;
const table = process.env.POLY_PIPELINE_TABLE ?? 'demo_customers';
const timeoutMs = 1000 * Number(process.env.POLY_TIMEOUT_SECONDS ?? '60');
const cases: Cases = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cases.json'), 'utf8'));
let timeIndex = 0;
// Unique whole-second times for RunActivity (its workflow ID is <activity_id>:<scheduled_for>).
const baseSeconds = Date.UTC(2030, 0, 1) / 1000 + (Number(run.replace(/\D/g, '').slice(-6)) % 100000) * 100;

/** The document with {{id}}, {{time}} and {{table}} filled in. */
function fill<T>(template: T, id: string, time: string): T {
  return JSON.parse(JSON.stringify(template).split('{{id}}').join(id).split('{{time}}').join(time)
    .split('{{table}}').join(table));
}

function nextTime(): string {
  return new Date((baseSeconds + timeIndex++) * 1000).toISOString().replace('.000Z', 'Z');
}

function defaultWorkflowId(workflow: string, input: any, id: string, time: string): string {
  if (workflow === 'OrderSagaWorkflow') return `order:${id}`;
  if (workflow === 'DataPipelineWorkflow') return `pipeline:${id}`;
  return `demo-tick-every-minute:${time}`;
}

type Outcome =
  | { kind: 'completed'; result: any; seconds: number }
  | { kind: 'failed'; failure: ApplicationFailure | undefined; error: WorkflowFailedError; seconds: number }
  | { kind: 'stuck'; seconds: number };

async function outcomeOf(handle: WorkflowHandle): Promise<Outcome> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  try {
    const result = await Promise.race([handle.result(), timeout]);
    const seconds = (Date.now() - started) / 1000;
    if (result === 'timeout') {
      await handle.terminate('polyglot contract test: no outcome within the timeout').catch(() => undefined);
      return { kind: 'stuck', seconds };
    }
    return { kind: 'completed', result, seconds };
  } catch (err) {
    const seconds = (Date.now() - started) / 1000;
    if (err instanceof WorkflowFailedError) {
      const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
      return { kind: 'failed', failure: cause, error: err, seconds };
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Activities the workflow scheduled: a rejected payload must have none (no charge, no row). */
async function activitiesScheduled(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes != null).length;
}

const results = { passed: 0, failed: 0 };
const counts = { payloads: 0, typed: 0, stuck: 0, changed: 0, effects: 0, wrong: 0, maxSeconds: 0, signalsDropped: 0 };

function check(name: string, ok: boolean, why: string): void {
  if (ok) {
    results.passed++;
    console.log(`ok - ${name}`);
  } else {
    results.failed++;
    console.log(`not ok - ${name}: ${why}`);
  }
}

function describe(o: Outcome): string {
  if (o.kind === 'completed') return `completed with ${JSON.stringify(o.result)}`;
  if (o.kind === 'stuck') return `no outcome within ${timeoutMs / 1000} s`;
  return `failed: ${o.failure?.type ?? o.error.cause?.name}: ${o.failure?.message ?? o.error.cause?.message}`;
}

async function malformed(client: (ns: string) => Client, c: Case, index: number): Promise<void> {
  const id = `poly-ts-${run}-m${index}`;
  const time = nextTime();
  const target = TYPES[c.workflow];
  const input = fill(c.input, id, time);
  const workflowId = fill(c.workflow_id ?? defaultWorkflowId(c.workflow, input, id, time), id, time);
  counts.payloads++;
  const handle = await client(target.namespace).workflow.start(c.workflow, {
    taskQueue: target.taskQueue, workflowId, args: [input],
  });
  const o = await outcomeOf(handle);
  counts.maxSeconds = Math.max(counts.maxSeconds, o.seconds);
  const name = `${c.workflow}: ${c.name}`;
  if (o.kind === 'stuck') {
    counts.stuck++;
    check(name, false, describe(o));
    return;
  }
  if (o.kind === 'completed') {
    counts.changed++;
    check(name, false, `accepted and silently changed: ${describe(o)}`);
    return;
  }
  const details: any = o.failure?.details?.[0];
  const paths: string[] = (details?.violations ?? []).map((v: any) => v.path);
  const missing = c.expect.paths.filter((p) => !paths.includes(p));
  const scheduled = await activitiesScheduled(handle);
  if (scheduled > 0) counts.effects++;
  const typed = o.failure?.type === c.expect.code && details?.code === c.expect.code && missing.length === 0
    && o.failure?.nonRetryable === true;
  if (typed) counts.typed++; else counts.wrong++;
  check(name, typed && scheduled === 0,
    `${describe(o)}; details ${JSON.stringify(details)}; expected ${c.expect.code} naming ${c.expect.paths}; `
    + `${scheduled} activities scheduled`);
}

async function happyPaths(client: (ns: string) => Client): Promise<void> {
  const orders = client('orders');
  // 1. An order is placed: the result, then the status query on the closed workflow.
  const okId = `poly-ts-${run}-ok`;
  const ok = await orders.workflow.start('OrderSagaWorkflow', {
    ...ORDERS, workflowId: `order:${okId}`, args: [fill(cases.valid.order, okId, '')],
  });
  const placed = await outcomeOf(ok);
  check('OrderSagaWorkflow: a valid order completes', placed.kind === 'completed'
    && (placed as any).result.outcome === 'COMPLETED' && (placed as any).result.total_cents === 3048, describe(placed));
  const status: any = await ok.query('status');
  check('OrderSagaWorkflow: status query', status.outcome === 'COMPLETED' && status.completed_steps.length === 4,
    JSON.stringify(status));

  // 2. The cancel signal, sent with the start so that it arrives before the first step.
  const cancelId = `poly-ts-${run}-cancel`;
  const cancelled = await orders.workflow.signalWithStart('OrderSagaWorkflow', {
    ...ORDERS, workflowId: `order:${cancelId}`, args: [fill(cases.valid.order, cancelId, '')],
    signal: 'cancel', signalArgs: [{ reason: 'customer request' }],
  });
  const c = await outcomeOf(cancelled);
  const cd: any = c.kind === 'failed' ? c.failure?.details?.[0] : undefined;
  check('OrderSagaWorkflow: cancel signal ends the saga as ORDER_CANCELLED',
    c.kind === 'failed' && c.failure?.type === 'ORDER_CANCELLED' && cd?.context?.outcome === 'CANCELLED'
    && cd?.context?.reason === 'customer request', `${describe(c)} ${JSON.stringify(cd)}`);

  // 3. A business refusal is a typed failure with the order's result as context.
  const declinedId = `poly-ts-${run}-declined`;
  const declinedOrder: any = fill(cases.valid.order, declinedId, '');
  declinedOrder.payment_method.token = 'tok_declined';
  const declined = await outcomeOf(await orders.workflow.start('OrderSagaWorkflow', {
    ...ORDERS, workflowId: `order:${declinedId}`, args: [declinedOrder],
  }));
  const dd: any = declined.kind === 'failed' ? declined.failure?.details?.[0] : undefined;
  check('OrderSagaWorkflow: a declined payment is PAYMENT_DECLINED with compensations',
    declined.kind === 'failed' && declined.failure?.type === 'PAYMENT_DECLINED' && dd?.code === 'PAYMENT_DECLINED'
    && JSON.stringify(dd?.context?.compensations_run) === '["CANCEL_ORDER"]', `${describe(declined)} ${JSON.stringify(dd)}`);

  // 4. Malformed signals are dropped; the healthy saga they were sent to completes unchanged.
  for (const [i, s] of cases.malformed_signals.entries()) {
    const sid = `poly-ts-${run}-s${i}`;
    counts.payloads++;
    const h = await orders.workflow.signalWithStart('OrderSagaWorkflow', {
      ...ORDERS, workflowId: `order:${sid}`, args: [fill(cases.valid.order, sid, '')],
      signal: 'cancel', signalArgs: [s.signal],
    });
    const o = await outcomeOf(h);
    const done = o.kind === 'completed' && (o as any).result.outcome === 'COMPLETED';
    if (done) counts.signalsDropped++;
    if (o.kind === 'stuck') counts.stuck++;
    check(`OrderSagaWorkflow: malformed signal (${s.name}) is dropped, the saga completes`, done, describe(o));
  }

  // 5. A data pipeline: result and the progress query.
  const pipelines = client('pipelines');
  const pid = `poly-ts-${run}-load`;
  const p = await pipelines.workflow.start('DataPipelineWorkflow', {
    ...PIPELINES, workflowId: `pipeline:${pid}`, args: [fill(cases.valid.pipeline, pid, '')],
  });
  const po = await outcomeOf(p);
  const pr: any = po.kind === 'completed' ? po.result : undefined;
  check('DataPipelineWorkflow: a valid load completes, read = loaded + quarantined',
    pr != null && pr.pipeline_id === pid && pr.read > 0 && pr.read === pr.loaded + pr.quarantined, describe(po));
  const progress: any = await p.query('progress');
  check('DataPipelineWorkflow: progress query', progress.phase === 'COMPLETED' && progress.read === pr?.read,
    JSON.stringify(progress));

  // 6. RunActivity: a scheduled run of a registry row, and a run of a row that does not exist.
  const time = nextTime();
  const r = await outcomeOf(await pipelines.workflow.start('RunActivityWorkflow', {
    ...ACTIVITIES, workflowId: `demo-tick-every-minute:${time}`, args: [fill(cases.valid.run, '', time)],
  }));
  const rr: any = r.kind === 'completed' ? r.result : undefined;
  check('RunActivityWorkflow: a scheduled run creates its tasks', rr != null
    && rr.run_key === `demo-tick-every-minute:${time}` && rr.task_keys.length >= 1
    && /^sha256:[0-9a-f]{64}$/.test(rr.context_hash), describe(r));
  const missingTime = nextTime();
  const nf = await outcomeOf(await pipelines.workflow.start('RunActivityWorkflow', {
    ...ACTIVITIES, workflowId: `poly-no-such-activity:${missingTime}`,
    args: [{ activity_id: 'poly-no-such-activity', scheduled_for: missingTime }],
  }));
  check('RunActivityWorkflow: an unknown activity is DEFINITION_NOT_FOUND',
    nf.kind === 'failed' && nf.failure?.type === 'DEFINITION_NOT_FOUND'
    && (nf.failure?.details?.[0] as any)?.code === 'DEFINITION_NOT_FOUND', describe(nf));
}

async function pool<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  }));
}

async function main(): Promise<void> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const clients = new Map<string, Client>();
  const client = (namespace: string) => {
    if (!clients.has(namespace)) clients.set(namespace, new Client({ connection, namespace }));
    return clients.get(namespace)!;
  };
  try {
    await happyPaths(client);
    // Raw byte cases (duplicate keys, integers beyond 2^53) cannot be written from JavaScript values.
    const sendable = cases.cases.map((c, i) => ({ c, i })).filter(({ c }) => c.raw === undefined);
    await pool(sendable, 6, ({ c, i }) => malformed(client, c, i));
  } finally {
    await connection.close();
  }
  console.log(`POLYGLOT-SUMMARY ${JSON.stringify({
    sdk: 'typescript', payloads_tried: counts.payloads, typed_failures: counts.typed,
    malformed_signals_dropped: counts.signalsDropped, stuck: counts.stuck, silently_changed: counts.changed,
    with_effects: counts.effects, wrong_failures: counts.wrong, slowest_seconds: Number(counts.maxSeconds.toFixed(1)),
  })}`);
  console.log(`polyglot typescript: payloads tried ${counts.payloads}, typed failures ${counts.typed}, malformed signals `
    + `dropped ${counts.signalsDropped}, stuck ${counts.stuck}, silently changed ${counts.changed}, with effects `
    + `${counts.effects}, slowest ${counts.maxSeconds.toFixed(1)} s`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exitCode = results.failed === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});

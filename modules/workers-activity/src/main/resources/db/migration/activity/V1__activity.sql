-- The activity worker's own tables (docs/activity-worker.md): what RunActivity keeps between runs. The registry it
-- reads is not here: it lives in the scheduler's database and is read with a read-only role.
-- (Moved unchanged from the pipeline database's V1 when RunActivity got a worker of its own.)

-- RunActivity: every revision of a registry row that a run used. The registry keeps only the current revision;
-- a re-run with definition_version finds older ones here.
create table activity_definition_revision (
    activity_id    text        not null,
    version        bigint      not null,
    definition     jsonb       not null,
    first_seen_at  timestamptz not null default now(),
    primary key (activity_id, version)
);

-- RunActivity: facts a run's context snapshot reads (activity_id '*' applies to every activity; a fact of the
-- activity itself wins over a '*' fact of the same name).
create table activity_context_fact (
    activity_id  text        not null,
    name         text        not null,
    value        jsonb       not null,
    updated_at   timestamptz not null default now(),
    primary key (activity_id, name)
);

-- RunActivity: the audit of every workflow execution - one row per (workflow_id, run_id), so two executions for
-- the same scheduled time are two rows that tell them apart.
create table activity_run (
    workflow_id         text        not null,
    run_id              text        not null,
    run_key             text        not null,
    activity_id         text        not null,
    scheduled_for       timestamptz not null,
    definition_version  bigint      not null,
    enabled             boolean     not null,
    trigger_event_id    text,
    compressed_window   jsonb,
    context             jsonb       not null,
    context_hash        text        not null,
    outcome             text        not null check (outcome in ('CONTEXT_RESOLVED', 'TASKS_CREATED', 'SKIPPED_DISABLED')),
    task_keys           jsonb       not null default '[]'::jsonb,
    tasks_created       integer,
    started_at          timestamptz not null default now(),
    finished_at         timestamptz,
    primary key (workflow_id, run_id)
);

create index activity_run_by_run_key on activity_run (run_key, started_at);

-- RunActivity: the task instances (contract: docs/contracts.md#task-instance). The task key is
-- <activity_id>:<run>/<kind>/<ordinal>, so it already carries (activity_id, scheduled_for or event, task): a repeated
-- run produces the same keys and finds its rows instead of adding new ones.
create table task_instance (
    task_key             text        primary key,
    activity_id          text        not null,
    scheduled_for        timestamptz not null,
    run_key              text        not null,
    kind                 text        not null,
    ordinal              integer     not null,
    payload              jsonb       not null,
    status               text        not null default 'PENDING'
        check (status in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED')),
    definition_version   bigint      not null,
    context_hash         text        not null,
    created_by_workflow  text        not null,
    created_by_run       text        not null,
    created_at           timestamptz not null default now(),
    check (starts_with(task_key, run_key || '/')),
    check (starts_with(run_key, activity_id || ':'))
);

create index task_instance_by_run on task_instance (activity_id, scheduled_for);

-- RunActivity: TaskCreated events waiting to be published (a relay to a broker comes later). Written in the same
-- transaction as the task row, once per task: the event id is derived from the task key.
create table task_outbox (
    event_id      text        primary key,
    task_key      text        not null unique references task_instance (task_key),
    event_type    text        not null,
    envelope      jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz
);

create index task_outbox_unpublished on task_outbox (created_at) where published_at is null;

-- The activity registry: one row per activity definition (contract: docs/contracts.md#activity-definition).
-- The scheduler turns every enabled row with a time-based trigger into a Temporal Schedule.
--
-- Constraints are deliberately loose: a row that breaks a contract rule (bad cron, unknown zone, wrong enum
-- value) must still be storable, so that the scheduler can mark exactly that row INVALID with a message naming
-- the field and what is accepted, while every other row keeps being applied. Only what the table itself needs
-- (identity, NOT NULL, JSON types) is enforced here.
create table activity_definition (
    activity_id        text        primary key,
    version            bigint      not null default 1,
    schema_version     text        not null default '1.0',
    description        text        not null default '',
    namespace          text        not null,
    workflow_type      text        not null,
    task_queue         text        not null,
    input              jsonb       not null default '{}'::jsonb,
    trigger            jsonb       not null,
    overlap_policy     text        not null default 'SKIP',
    missed_run_policy  text        not null default 'CATCH_UP',
    catch_up_window    text        not null default '1h',
    pause_on_failure   boolean     not null default false,
    enabled            boolean     not null default true,
    paused             boolean     not null default false,
    owner              text        not null,
    notes              text        not null default '',
    updated_at         timestamptz not null default now()
);

comment on table activity_definition is
    'Activity registry (bp-temporal scheduler): one row per ActivityDefinition; see docs/scheduler.md';
comment on column activity_definition.trigger is
    'ActivityDefinition.trigger as JSON: cron, intervals, calendars, event_types, time_zone, jitter, start_at, end_at';
comment on column activity_definition.version is
    'Revision of the row; raised by every update that does not set it itself';

-- What the scheduler made of each row in its last pass. A separate table, so that writing a status never
-- changes the definition row (and never raises its version or fires the change notification).
create table activity_schedule_status (
    activity_id                 text        primary key references activity_definition (activity_id) on delete cascade,
    status                      text        not null check (status in ('OK', 'INVALID', 'ERROR')),
    message                     text        not null default '',
    definition_version          bigint      not null,
    spec_hash                   text,
    observed_fingerprint        text,
    last_reconciled_at          timestamptz not null default now(),
    schedule_written_at         timestamptz,
    missed_runs_checked_through timestamptz
);

comment on column activity_schedule_status.spec_hash is
    'sha256 of the desired schedule the scheduler last applied or verified (also written into the Schedule notes)';
comment on column activity_schedule_status.observed_fingerprint is
    'sha256 of the Schedule as the server lists it once it matched spec_hash; a later difference is drift made outside the registry';
comment on column activity_schedule_status.schedule_written_at is
    'When the scheduler last created, updated or unpaused the Schedule';
comment on column activity_schedule_status.missed_runs_checked_through is
    'COMPRESS: due times up to here are settled (they ran, or a compressed run stands for them)';

-- Every change of the definition row raises its version (unless the statement sets a new one) and its
-- updated_at, so that a RunActivity run can say which revision it ran.
create function activity_definition_touch() returns trigger
    language plpgsql as
$$
begin
    if new is distinct from old then
        if new.version = old.version then
            new.version := old.version + 1;
        end if;
        new.updated_at := now();
    end if;
    return new;
end;
$$;

create trigger activity_definition_touch
    before update on activity_definition
    for each row execute function activity_definition_touch();

-- `scheduler run` LISTENs on this channel and reconciles at once instead of waiting for its interval.
-- Statement-level with a constant payload: PostgreSQL folds identical notifications of one transaction into
-- one, so a bulk change of 1,000 rows wakes the scheduler once.
create function activity_definition_notify() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('activity_registry_changed', tg_op);
    return null;
end;
$$;

create trigger activity_definition_notify
    after insert or update or delete or truncate on activity_definition
    for each statement execute function activity_definition_notify();

-- Event routes: which broker events start (or signal) which activity (docs/event-router.md#routing-rules).
-- A route says: an envelope of type `event_type` whose fields match every condition of `filters` triggers
-- the activity `activity_id`, delivered as `delivery`. The activity row still decides namespace, workflow
-- type and task queue of the run.
--
-- Loose constraints, like activity_definition: a broken route (unknown delivery, malformed filter) must be
-- storable, so that `scheduler plan` and the event router can report exactly that route, naming the route
-- id and the JSON path of the problem, while every other route keeps working. Only identity, NOT NULL,
-- JSON types and the reference to the activity are enforced here.
create table event_route (
    route_id    text        primary key,
    activity_id text        not null references activity_definition (activity_id) on delete cascade,
    event_type  text        not null,
    filters     jsonb       not null default '[]'::jsonb,
    delivery    text        not null default 'START',
    enabled     boolean     not null default true,
    version     bigint      not null default 1,
    updated_at  timestamptz not null default now()
);

create index event_route_event_type on event_route (event_type);

comment on table event_route is
    'Event routes (bp-temporal event router): envelope type + filters -> activity; see docs/event-router.md';
comment on column event_route.filters is
    'JSON array of conditions, all must hold: {"path": "$.payload.country", "equals"|"in"|"prefix"|"exists": ...}';
comment on column event_route.delivery is
    'START (one RunActivity run per event) or SIGNAL_WITH_START (the subject''s long-lived SubjectEventsWorkflow)';
comment on column event_route.version is
    'Revision of the route; raised by every update that does not set it itself';

-- Same rule as activity_definition: every change raises version (unless the statement sets a new one) and
-- updated_at, so the router's log can say which revision of a route it applied.
create function event_route_touch() returns trigger
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

create trigger event_route_touch
    before update on event_route
    for each row execute function event_route_touch();

-- The event router LISTENs on this channel and reloads its routes at once. Statement-level with a constant
-- payload: a bulk change of many routes in one transaction wakes each router once.
create function event_route_notify() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('bp_event_routes_changed', tg_op);
    return null;
end;
$$;

create trigger event_route_notify
    after insert or update or delete or truncate on event_route
    for each statement execute function event_route_notify();

-- A route's activity decides where its runs go: when that row changes (namespace, task queue, enabled),
-- the routers must reload too.
create function event_route_activity_notify() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('bp_event_routes_changed', 'activity_definition ' || tg_op);
    return null;
end;
$$;

create trigger event_route_activity_notify
    after update or delete or truncate on activity_definition
    for each statement execute function event_route_activity_notify();

-- The outbox relay (the event router, docs/event-router.md#egress-the-outbox-relay) claims the undelivered rows in
-- created order: "where delivered_at is null order by created_at" reads this index instead of the table. (Not a
-- partial index: the build's jOOQ code generation runs this file through H2, which has none.)
create index notification_outbox_undelivered on notification_outbox (delivered_at, created_at);

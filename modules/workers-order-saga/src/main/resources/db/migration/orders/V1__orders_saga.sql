-- The order saga's database (docs/order-saga.md). Every table that records a side effect carries that
-- effect's idempotency key (io.bptemporal.contracts.ordersaga.OrderEffect, e.g. payment.charge/o-1001)
-- under a UNIQUE constraint: an activity retried after a crash finds the first attempt's row instead of
-- repeating the effect (INSERT ... ON CONFLICT DO NOTHING, then read back).
-- This file is also the input of jOOQ's code generation (DDLDatabase, parsed without a database), so it
-- sticks to DDL that both PostgreSQL and jOOQ's parser understand.

create table orders (
    order_id        varchar(128)                     not null,
    create_key      varchar(512)                     not null, -- order.create/<order_id>
    customer_id     varchar(128)                     not null,
    currency        varchar(3)                     not null,
    total_cents     bigint                   not null,
    status          varchar(16)                     not null,
    cancel_key      varchar(512),                              -- order.cancel/<order_id>, set when cancelled
    cancel_reason   text,
    created_at      timestamp with time zone not null default current_timestamp,
    updated_at      timestamp with time zone not null default current_timestamp,
    constraint orders_pk primary key (order_id),
    constraint orders_create_key_uq unique (create_key),
    constraint orders_cancel_key_uq unique (cancel_key),
    constraint orders_status_ck check (status in ('CREATED', 'CONFIRMED', 'CANCELLED')),
    constraint orders_total_ck check (total_cents >= 0),
    constraint orders_currency_ck check (char_length(currency) = 3)
);

create table order_lines (
    order_id          varchar(128)    not null,
    line_no           integer not null,
    sku               varchar(64)    not null,
    quantity          integer not null,
    unit_price_cents  bigint  not null,
    constraint order_lines_pk primary key (order_id, line_no),
    constraint order_lines_order_fk foreign key (order_id) references orders (order_id),
    constraint order_lines_sku_uq unique (order_id, sku),
    constraint order_lines_quantity_ck check (quantity between 1 and 10000),
    constraint order_lines_price_ck check (unit_price_cents >= 0)
);

-- One CHARGE and at most one REFUND or VOID per order. A VOID is written by a refund that found no charge
-- (the refund is registered before the charge and may run first): it fences off a charge attempt that
-- would otherwise still land after the saga was compensated.
create table payment_ledger (
    idempotency_key varchar(512)                     not null, -- payment.charge/<order_id> or payment.refund/<order_id>
    order_id        varchar(128)                     not null,
    entry_kind      varchar(16)                     not null,
    amount_cents    bigint                   not null,
    currency        varchar(3)                     not null,
    reference       varchar(255)                     not null, -- the provider's payment or refund id; '-' for a VOID
    provider        varchar(16)                     not null, -- 'ledger' (no provider configured) or 'http'
    reason          text,
    created_at      timestamp with time zone not null default current_timestamp,
    constraint payment_ledger_pk primary key (idempotency_key),
    constraint payment_ledger_order_kind_uq unique (order_id, entry_kind),
    constraint payment_ledger_kind_ck check (entry_kind in ('CHARGE', 'REFUND', 'VOID')),
    constraint payment_ledger_amount_ck check (amount_cents >= 0)
);

create table inventory_stock (
    sku         varchar(64)                     not null,
    available   integer                  not null,
    updated_at  timestamp with time zone not null default current_timestamp,
    constraint inventory_stock_pk primary key (sku),
    -- The last line of defence: a reservation can never take stock below zero.
    constraint inventory_stock_available_ck check (available >= 0)
);

-- One reservation per order, all lines or none. A RELEASED row without lines is written by a release
-- that found no reservation: it fences off a reservation attempt that would land after the compensation.
create table inventory_reservations (
    reservation_id  varchar(255)                     not null,
    reserve_key     varchar(512)                     not null, -- inventory.reserve/<order_id>
    order_id        varchar(128)                     not null,
    status          varchar(16)                     not null,
    release_key     varchar(512),                              -- inventory.release/<order_id>, set when released
    release_reason  text,
    created_at      timestamp with time zone not null default current_timestamp,
    released_at     timestamp with time zone,
    constraint inventory_reservations_pk primary key (reservation_id),
    constraint inventory_reservations_reserve_key_uq unique (reserve_key),
    constraint inventory_reservations_order_uq unique (order_id),
    constraint inventory_reservations_release_key_uq unique (release_key),
    constraint inventory_reservations_status_ck check (status in ('RESERVED', 'RELEASED'))
);

create table inventory_reservation_lines (
    reservation_id  varchar(255)    not null,
    sku             varchar(64)    not null,
    quantity        integer not null,
    constraint inventory_reservation_lines_pk primary key (reservation_id, sku),
    constraint inventory_reservation_lines_reservation_fk foreign key (reservation_id)
        references inventory_reservations (reservation_id),
    constraint inventory_reservation_lines_sku_fk foreign key (sku) references inventory_stock (sku),
    constraint inventory_reservation_lines_quantity_ck check (quantity >= 1)
);

-- Transactional outbox: the confirmation is written here in the same transaction that confirms the order;
-- a relay delivers it (outside this module) and sets delivered_at. One message per order.
create table notification_outbox (
    message_id       varchar(255)                     not null,
    idempotency_key  varchar(512)                     not null, -- order.confirmation/<order_id>
    order_id         varchar(128)                     not null,
    recipient        varchar(128)                     not null,
    template         varchar(128)                     not null,
    payload          jsonb                    not null,
    created_at       timestamp with time zone not null default current_timestamp,
    delivered_at     timestamp with time zone,
    constraint notification_outbox_pk primary key (message_id),
    constraint notification_outbox_key_uq unique (idempotency_key),
    constraint notification_outbox_order_uq unique (order_id)
);

create table migrations_it_notes (id bigint primary key, body text not null);

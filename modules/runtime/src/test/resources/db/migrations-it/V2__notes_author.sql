alter table migrations_it_notes add column author text;

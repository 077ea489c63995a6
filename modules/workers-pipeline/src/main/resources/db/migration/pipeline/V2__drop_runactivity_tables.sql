-- RunActivity moved to the activity worker (modules/workers-activity), which keeps these tables in its own database
-- (db/migration/activity/V1__activity.sql). Nothing had been released with them in the pipeline database, so they are
-- dropped here instead of copied over: there is no data to migrate. task_outbox goes first (it references
-- task_instance).
drop table if exists task_outbox;
drop table if exists task_instance;
drop table if exists activity_run;
drop table if exists activity_context_fact;
drop table if exists activity_definition_revision;

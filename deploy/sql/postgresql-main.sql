-- OrleansMemory: PostgreSQL, the table every Orleans ADO.NET provider reads its queries from.
-- Idempotent: safe to run again (omem db init, or the silo with Storage:CreateSchema=true, applies it under an
-- advisory lock so several silos starting at once do not race). Apply in the order main, persistence, clustering,
-- reminders. Implements the contract of Microsoft.Orleans.*.AdoNet 10.4.2: Orleans reads results by column name
-- and binds parameters by name (@GrainIdHash, ...), so names and types below must not change.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

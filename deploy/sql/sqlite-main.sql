-- OrleansMemory: SQLite, the table the Orleans ADO.NET storage provider reads its queries from.
-- Idempotent. Apply before sqlite-persistence.sql. (Orleans has no SQLite clustering or reminders.)

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT PRIMARY KEY,
    QueryText TEXT NOT NULL
);

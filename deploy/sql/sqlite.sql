-- OrleansMemory grain storage on SQLite (src/OrleansMemory.AdoNet). The provider creates this itself unless
-- AdoNetGrainStorageOptions.CreateSchema is false. The table name is AdoNetGrainStorageOptions.TableName.
-- One row per (service, grain type, grain key, state name); version is the ETag; payload NULL marks a cleared record
-- (a tombstone, so an old ETag never matches again); modified_at is Unix time in milliseconds.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS omem_grain_state (
    service_id  TEXT    NOT NULL,
    grain_type  TEXT    NOT NULL,
    grain_key   TEXT    NOT NULL,
    state_name  TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    payload     BLOB    NULL,
    modified_at INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_type, grain_key, state_name)
);

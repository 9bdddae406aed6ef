-- OrleansMemory grain storage on PostgreSQL (src/OrleansMemory.AdoNet). The provider creates this itself unless
-- AdoNetGrainStorageOptions.CreateSchema is false. Table name: AdoNetGrainStorageOptions.TableName; to use a schema,
-- create it and qualify the table (AdoNetGrainStorageOptions.Schema).
-- One row per (service, grain type, grain key, state name); version is the ETag; payload holds the exact bytes and
-- payload_json a jsonb copy of JSON payloads for queries; payload NULL marks a cleared record (a tombstone).
-- The primary key's index serves every lookup (by grain, by grain type, listing in key order).
CREATE TABLE IF NOT EXISTS omem_grain_state (
    service_id   text COLLATE "C" NOT NULL,
    grain_type   text COLLATE "C" NOT NULL,
    grain_key    text COLLATE "C" NOT NULL,
    state_name   text COLLATE "C" NOT NULL,
    version      bigint      NOT NULL,
    payload      bytea       NULL,
    payload_json jsonb       NULL,
    modified_at  timestamptz NOT NULL,
    CONSTRAINT omem_grain_state_pkey PRIMARY KEY (service_id, grain_type, grain_key, state_name)
);

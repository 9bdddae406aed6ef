-- OrleansMemory cluster membership (issue 5). The silo creates these tables itself when
-- AdoNetClusteringOptions.CreateSchema is true (default); run this file to create them ahead of time.
-- Times are Unix milliseconds; status: 1 Joining, 2 Active, 3 ShuttingDown, 4 Dead;
-- suspect_times: "voter-address,unix-ms;...". Every status change bumps orleansmemory_membership_version.version.
-- PostgreSQL 15
CREATE TABLE IF NOT EXISTS orleansmemory_membership_version (
    service_id TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (service_id, cluster_id));
CREATE TABLE IF NOT EXISTS orleansmemory_membership (
    service_id TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    address TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    generation BIGINT NOT NULL,
    silo_name TEXT NOT NULL,
    status INTEGER NOT NULL,
    start_time BIGINT NOT NULL,
    iamalive_time BIGINT NOT NULL,
    suspect_times TEXT NOT NULL,
    etag BIGINT NOT NULL,
    PRIMARY KEY (service_id, cluster_id, address));

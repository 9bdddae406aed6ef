namespace OrleansMemory.Membership.AdoNet;

/// <summary>The SQL of the membership table: the same statements run on PostgreSQL and SQLite (both take
/// <c>@name</c> parameters and <c>INSERT ... ON CONFLICT DO NOTHING</c>).</summary>
internal static class AdoNetMembershipSql
{
    public const string CreateSchema = """
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
        """;

    public const string InsertVersion = """
        INSERT INTO orleansmemory_membership_version (service_id, cluster_id, version) VALUES (@service_id, @cluster_id, 0)
        ON CONFLICT DO NOTHING
        """;

    public const string ReadVersion = "SELECT version FROM orleansmemory_membership_version WHERE service_id = @service_id AND cluster_id = @cluster_id";

    public const string ReadRows = """
        SELECT host, port, generation, silo_name, status, start_time, iamalive_time, suspect_times, etag
        FROM orleansmemory_membership WHERE service_id = @service_id AND cluster_id = @cluster_id
        """;

    public const string BumpVersion = """
        UPDATE orleansmemory_membership_version SET version = version + 1
        WHERE service_id = @service_id AND cluster_id = @cluster_id AND version = @version
        """;

    public const string InsertRow = """
        INSERT INTO orleansmemory_membership
            (service_id, cluster_id, address, host, port, generation, silo_name, status, start_time, iamalive_time, suspect_times, etag)
        VALUES (@service_id, @cluster_id, @address, @host, @port, @generation, @silo_name, @status, @start_time, @iamalive_time, @suspect_times, 1)
        ON CONFLICT DO NOTHING
        """;

    public const string UpdateRow = """
        UPDATE orleansmemory_membership
        SET status = @status, silo_name = @silo_name, start_time = @start_time, iamalive_time = @iamalive_time,
            suspect_times = @suspect_times, etag = etag + 1
        WHERE service_id = @service_id AND cluster_id = @cluster_id AND address = @address AND etag = @etag
        """;

    public const string UpdateIAmAlive = """
        UPDATE orleansmemory_membership SET iamalive_time = @iamalive_time
        WHERE service_id = @service_id AND cluster_id = @cluster_id AND address = @address
        """;

    public const string CleanupDefunct = """
        DELETE FROM orleansmemory_membership
        WHERE service_id = @service_id AND cluster_id = @cluster_id AND status = 4 AND iamalive_time < @before
        """;

    public const string DeleteCluster = """
        DELETE FROM orleansmemory_membership WHERE service_id = @service_id AND cluster_id = @cluster_id;
        DELETE FROM orleansmemory_membership_version WHERE service_id = @service_id AND cluster_id = @cluster_id;
        """;
}

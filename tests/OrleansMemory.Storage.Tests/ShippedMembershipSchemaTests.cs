using OrleansMemory.Membership.AdoNet;

namespace OrleansMemory.Storage.Tests;

/// <summary>The membership schema is written twice (deploy/sql for operators, AdoNetMembershipSql for create-on-start);
/// this keeps the copies equal.</summary>
public sealed class ShippedMembershipSchemaTests
{
    [Theory]
    [InlineData("membership-sqlite.sql")]
    [InlineData("membership-postgres.sql")]
    public async Task Shipped_membership_schema_matches_the_created_one(string file)
    {
        var shipped = SqliteGrainStorageTests.Normalize(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "sql", file)));
        Assert.Contains(SqliteGrainStorageTests.Normalize(AdoNetMembershipSql.CreateSchema), shipped, StringComparison.Ordinal);
    }
}

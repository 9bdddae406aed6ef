namespace OrleansMemory.Silo.Api;

/// <summary>API key scopes, each also the name of the authorization policy requiring it.</summary>
public static class Scopes
{
    /// <summary>Read grain data.</summary>
    public const string Read = "read";

    /// <summary>Change grain data.</summary>
    public const string Write = "write";

    /// <summary>Everything <see cref="Read"/> and <see cref="Write"/> allow, and erasing users; within the key's tenant.</summary>
    public const string Admin = "admin";

    /// <summary>What spans tenants: storage statistics of every tenant, where storage is, the cluster's identity. Given
    /// to the operator's keys only; it implies no access to any tenant's data.</summary>
    public const string Operator = "operator";

    /// <summary>The policy of routes any valid key may call (they show nothing of a tenant's data).</summary>
    public const string Any = "any";

    /// <summary>Every scope.</summary>
    public static IReadOnlyList<string> All { get; } = [Read, Write, Admin, Operator];

    /// <summary>Whether the caller may read its tenant's data (scope <see cref="Read"/> or <see cref="Admin"/>): write
    /// responses show stored content only to such callers.</summary>
    public static bool CanRead(this HttpContext context) => context.Has(Read) || context.Has(Admin);

    /// <summary>Whether the caller holds <paramref name="scope"/>.</summary>
    public static bool Has(this HttpContext context, string scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.HasClaim(TenantContext.ScopeClaim, scope);
    }
}

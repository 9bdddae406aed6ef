using System.Security.Claims;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Mcp;

/// <summary>Who calls a tool: the tenant, scopes and pinned user of the API key that authenticated the <c>/mcp</c>
/// request. Tools check scopes here exactly as the HTTP routes' policies do (read or admin to read, write or admin to
/// write, admin to erase).</summary>
/// <param name="Principal">The authenticated principal of the request.</param>
internal sealed record McpCaller(ClaimsPrincipal Principal)
{
    /// <summary>The key's tenant: part of every grain key a tool reaches.</summary>
    public string Tenant => Principal.FindFirstValue(TenantContext.TenantClaim)
        ?? throw new ApiForbiddenException(ApiForbiddenException.ScopeDetail);

    /// <summary>Whether the key may read its tenant's data (write results show stored content only then).</summary>
    public bool CanRead => Has(Scopes.Read) || Has(Scopes.Admin);

    /// <summary>The caller of a tool call; the request was authenticated by the <c>/mcp</c> endpoint's policy.</summary>
    public static McpCaller Of(ClaimsPrincipal? principal) => new(principal ?? new ClaimsPrincipal());

    /// <summary>Refuses the call unless the key holds <paramref name="scope"/> (or admin, which includes read and write).</summary>
    /// <exception cref="ApiForbiddenException">The key lacks the scope.</exception>
    public McpCaller Require(string scope)
    {
        if (!Has(scope) && !Has(Scopes.Admin))
        {
            throw new ApiForbiddenException(ApiForbiddenException.ScopeDetail);
        }

        return this;
    }

    /// <summary>The user a tool acts for: <paramref name="userId"/> when given, else the key's pinned user.</summary>
    /// <exception cref="ApiValidationException">Neither is there.</exception>
    /// <exception cref="ApiForbiddenException">The key is pinned to another user.</exception>
    public string User(string? userId)
    {
        var pinned = Principal.PinnedUser();
        if (string.IsNullOrEmpty(userId))
        {
            return pinned ?? throw new ApiValidationException("user_id", "user_id is required (this API key is not pinned to a user).");
        }

        Principal.CheckPinnedUser(userId);
        return userId;
    }

    /// <summary>The user grain of <paramref name="userId"/> in the caller's tenant.</summary>
    public IUserGrain UserGrain(IGrainFactory grains, string userId) =>
        grains.GetGrain<IUserGrain>(Ids.GrainKey(Tenant, userId, "user_id"));

    private bool Has(string scope) => Principal.HasClaim(TenantContext.ScopeClaim, scope);
}

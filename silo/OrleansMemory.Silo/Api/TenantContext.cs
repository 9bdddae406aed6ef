using System.Security.Claims;

namespace OrleansMemory.Silo.Api;

/// <summary>Reads the caller's tenant from the authenticated principal.</summary>
public static class TenantContext
{
    /// <summary>The claim type holding the tenant.</summary>
    public const string TenantClaim = "orleansmemory:tenant";

    /// <summary>The claim type holding one scope.</summary>
    public const string ScopeClaim = "orleansmemory:scope";

    /// <summary>The tenant of the request.</summary>
    /// <exception cref="InvalidOperationException">The request was not authenticated (an endpoint without an authorization policy).</exception>
    public static string Tenant(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.FindFirstValue(TenantClaim)
            ?? throw new InvalidOperationException("The request has no tenant; the endpoint must require authorization.");
    }
}

using System.Security.Claims;

namespace OrleansMemory.Silo.Api;

/// <summary>Reads the caller's tenant from the authenticated principal.</summary>
public static class TenantContext
{
    /// <summary>The claim type holding the tenant.</summary>
    public const string TenantClaim = "orleansmemory:tenant";

    /// <summary>The claim type holding one scope.</summary>
    public const string ScopeClaim = "orleansmemory:scope";

    /// <summary>The claim type holding the one user a pinned key acts for (<c>Auth:ApiKeys:{i}:User</c>).</summary>
    public const string UserClaim = "orleansmemory:user";

    /// <summary>The user the caller's key is pinned to, or null.</summary>
    public static string? PinnedUser(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(UserClaim);
    }

    /// <summary>Refuses <paramref name="userId"/> when the caller's key is pinned to another user.</summary>
    /// <exception cref="ApiForbiddenException">The key is pinned to another user.</exception>
    public static void CheckPinnedUser(this ClaimsPrincipal user, string userId)
    {
        if (user.PinnedUser() is { } pinned && !string.Equals(pinned, userId, StringComparison.Ordinal))
        {
            throw new ApiForbiddenException(ApiForbiddenException.PinnedUserDetail);
        }
    }

    /// <summary>The tenant of the request.</summary>
    /// <exception cref="InvalidOperationException">The request was not authenticated (an endpoint without an authorization policy).</exception>
    public static string Tenant(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.FindFirstValue(TenantClaim)
            ?? throw new InvalidOperationException("The request has no tenant; the endpoint must require authorization.");
    }
}

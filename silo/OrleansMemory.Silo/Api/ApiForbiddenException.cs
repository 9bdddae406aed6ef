namespace OrleansMemory.Silo.Api;

/// <summary>The caller's key may not do this (403): a scope it lacks, or a user other than the one it is pinned to.</summary>
/// <param name="detail">The problem detail, in the API's words.</param>
public sealed class ApiForbiddenException(string detail) : Exception(detail)
{
    /// <summary>The detail of a missing scope (the same words as the authorization handler's 403).</summary>
    public const string ScopeDetail = "The API key lacks the scope this operation needs.";

    /// <summary>The detail of a user other than the key's pinned user.</summary>
    public const string PinnedUserDetail = "The API key is pinned to another user.";
}

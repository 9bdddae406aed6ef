namespace OrleansMemory.Silo.Api;

/// <summary>API key scopes, each also the name of the authorization policy requiring it.</summary>
public static class Scopes
{
    /// <summary>Read grain data.</summary>
    public const string Read = "read";

    /// <summary>Change grain data.</summary>
    public const string Write = "write";

    /// <summary>Erase users, read storage statistics and the dashboard.</summary>
    public const string Admin = "admin";
}

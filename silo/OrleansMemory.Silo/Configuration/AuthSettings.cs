namespace OrleansMemory.Silo.Configuration;

/// <summary>Whether API keys are required.</summary>
public enum AuthMode
{
    /// <summary>Required unless the silo listens on a loopback address only (then off, with a warning).</summary>
    Auto,

    /// <summary>Every <c>/v1</c> request needs a valid API key.</summary>
    Required,

    /// <summary>No keys: every request acts as <see cref="AuthSettings.DevelopmentTenant"/> with every scope.</summary>
    Disabled,
}

/// <summary>API key settings.</summary>
public sealed class AuthSettings
{
    /// <summary>Whether keys are required.</summary>
    public AuthMode Mode { get; set; } = AuthMode.Auto;

    /// <summary>The accepted keys.</summary>
    public List<ApiKeySettings> ApiKeys { get; set; } = [];

    /// <summary>The tenant requests act as when auth is off.</summary>
    public string DevelopmentTenant { get; set; } = "default";
}

/// <summary>One API key.</summary>
public sealed class ApiKeySettings
{
    /// <summary>A name for logs (never the key itself).</summary>
    public string? Name { get; set; }

    /// <summary>The secret, at least 16 characters.</summary>
    public string Key { get; set; } = "";

    /// <summary>The tenant the key acts for: part of every grain key it reaches.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Any of <c>read</c>, <c>write</c>, <c>admin</c> (all three within the tenant) and <c>operator</c>
    /// (storage statistics and locations of every tenant, no tenant data).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Pins the key to one user of its tenant: user routes and MCP tools act for this user only, and MCP tools
    /// need no <c>user_id</c> argument (a personal assistant's key). Default: not pinned (any user of the tenant).</summary>
    public string? User { get; set; }
}

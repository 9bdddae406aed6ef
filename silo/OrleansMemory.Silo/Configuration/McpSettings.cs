namespace OrleansMemory.Silo.Configuration;

/// <summary>The Model Context Protocol server (streamable HTTP, stateless) for agents outside .NET.</summary>
public sealed class McpSettings
{
    /// <summary>Whether <c>/mcp</c> is served; it needs the same API keys and scopes as <c>/v1</c>.</summary>
    public bool Enabled { get; set; } = true;
}

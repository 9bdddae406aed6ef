using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Mcp;

/// <summary>Tool results in the HTTP API's JSON: the same snake_case shapes, as structured content and as the text
/// block older clients read. Lists are wrapped as <c>{"results": [...]}</c> (structured content is an object).
/// Failures are tool errors (<c>isError</c>) carrying the API's problem details, never a transport failure.</summary>
internal static partial class McpResults
{
    /// <summary>The API's JSON conventions, usable for both binding tool arguments and writing results.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    /// <summary>A successful result holding <paramref name="value"/>.</summary>
    public static CallToolResult Ok<T>(T value)
    {
        var element = JsonSerializer.SerializeToElement(value, Json);
        if (element.ValueKind != JsonValueKind.Object)
        {
            element = JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { ["results"] = element }, Json);
        }

        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = element.GetRawText() }],
            StructuredContent = element,
        };
    }

    /// <summary>The error result of <paramref name="exception"/>: status, title, detail and input errors as the HTTP API's
    /// problem details would have them.</summary>
    public static CallToolResult Error(Exception exception, string? tool, ILogger logger)
    {
        var (status, title, detail, errors) = exception switch
        {
            // Arguments the SDK could not bind (missing or of the wrong JSON type): the API's binding words.
            JsonException json => (400, "Invalid request", $"{ArgumentName(json.Path)} has a value of the wrong type for this argument.",
                new Dictionary<string, string[]> { [ArgumentName(json.Path)] = ["wrong type"] }),
            ArgumentException { ParamName: "arguments" } e when MissingArgument().Match(e.Message) is { Success: true } m =>
                (400, "Invalid request", $"{m.Groups[1].Value} is required.", new Dictionary<string, string[]> { [m.Groups[1].Value] = ["required"] }),
            _ => ApiExceptionHandler.Map(exception),
        };
        if (status == 500)
        {
            LogErrorUnhandled(logger, exception, tool ?? "");
        }
        else if (status >= 500)
        {
            LogWarningUnavailable(logger, status, tool ?? "", exception.Message);
        }

        var problem = new Dictionary<string, object?> { ["status"] = status, ["title"] = title, ["detail"] = detail };
        if (errors is not null)
        {
            problem["errors"] = errors;
        }

        return new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = $"{title}: {detail}" }],
            StructuredContent = JsonSerializer.SerializeToElement(problem, Json),
        };
    }

    /// <summary>The filter turning every exception of a tool call into <see cref="Error"/>.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            try
            {
                return await next(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var logger = request.Services?.GetService<ILoggerFactory>()?.CreateLogger(typeof(McpResults).FullName!)
                    ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
                return Error(ex, request.Params?.Name, logger);
            }
        };

    private static string ArgumentName(string? path) => path is { Length: > 1 } p ? p.TrimStart('$', '.') : "arguments";

    private static JsonSerializerOptions CreateJson()
    {
        var options = ApiJson.CreateOptions();
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }

    [System.Text.RegularExpressions.GeneratedRegex("required parameter '([A-Za-z0-9_]+)'")]
    private static partial System.Text.RegularExpressions.Regex MissingArgument();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in MCP tool {Tool}")]
    private static partial void LogErrorUnhandled(ILogger logger, Exception exception, string tool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Status} in MCP tool {Tool}: {Reason}")]
    private static partial void LogWarningUnavailable(ILogger logger, int status, string tool, string reason);
}

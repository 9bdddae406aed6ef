using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Api;

/// <summary>Turns exceptions into RFC 7807 problem details: caller mistakes are 400/404/409/413, never 500.</summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = Map(exception);
        if (status == StatusCodes.Status500InternalServerError)
        {
            LogErrorUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status >= 500)
        {
            LogWarningUnavailable(logger, status, httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }

        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception })
            .ConfigureAwait(false);
    }

    internal static (int Status, string Title, string Detail, Dictionary<string, string[]>? Errors) Map(Exception exception) => exception switch
    {
        ApiValidationException e => (400, "Invalid request", e.Message, new() { [e.Parameter] = [e.Message] }),
        MemoryValidationException e => (400, "Invalid request", e.Message, e.ParamName is null ? null : new() { [ToSnake(e.ParamName)] = [e.Message] }),
        BadHttpRequestException { StatusCode: 413 } e => (413, "Request body too large", e.Message, null),
        BadHttpRequestException e => (e.StatusCode, "Invalid request", Describe(e), null),
        MemoryNotFoundException e => (404, "Not found", e.Message, null),
        InconsistentStateException e => (409, "Conflict", $"The data was changed by another writer; read it again and retry. ({e.Message})", null),
        SiloUnavailableException e => (503, "Silo unavailable", e.Message, null),
        Embeddings.EmbeddingServiceException e => (503, "Embedding service unavailable", e.Message, null),
        OrleansMessageRejectionException e => (503, "Silo unavailable", e.Message, null),
        Orleans.Runtime.Messaging.ConnectionFailedException e => (503, "Silo unavailable", e.Message, null),
        TimeoutException e => (504, "Grain call timed out", e.Message, null),
        _ => (500, "Internal error", "The silo failed to handle the request; see its logs.", null),
    };

    private static string Describe(BadHttpRequestException e) => e.InnerException switch
    {
        JsonException json => $"The body is not valid for this endpoint: {json.Message}",
        { } inner => $"{e.Message} {inner.Message}",
        null => e.Message,
    };

    private static string ToSnake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogErrorUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Status} on {Method} {Path}: {Reason}")]
    private static partial void LogWarningUnavailable(ILogger logger, int status, string method, string path, string reason);
}

using Microsoft.AspNetCore.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Api;

/// <summary>Turns exceptions into RFC 7807 problem details: caller mistakes are 400/404/409/413, never 500.</summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = exception is BadHttpRequestException { StatusCode: 400 } binding
            ? Invalid(await BindingProblem.DescribeAsync(httpContext, binding).ConfigureAwait(false))
            : Map(exception);
        // Routes by template and the exception by type: a raw path holds tenant and user ids, a message may too.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        if (status == StatusCodes.Status500InternalServerError)
        {
            LogErrorUnhandled(logger, exception.GetType().Name, httpContext.Request.Method, route);
            LogDebugUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status >= 500)
        {
            LogWarningUnavailable(logger, status, httpContext.Request.Method, route, exception.GetType().Name);
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

        if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout
            && !HttpMethods.IsGet(httpContext.Request.Method) && !HttpMethods.IsHead(httpContext.Request.Method))
        {
            // The request may have reached the grain, and part of a write may be stored (a silo frozen mid-call, a
            // storage write that failed after another succeeded): retry with the same message id or idempotency key.
            problem.Extensions["outcome"] = "unknown";
        }

        if (exception is QuotaExceededException quota)
        {
            problem.Extensions["quota"] = quota.Kind;
            problem.Extensions["limit"] = quota.Limit;
            problem.Extensions["used"] = quota.Used;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception })
            .ConfigureAwait(false);
    }

    /// <summary>Status, title, detail and per-input errors of an exception, in the API's words (snake_case input names,
    /// no .NET type names); anything unexpected is a 500 that names nothing of the server.</summary>
    internal static (int Status, string Title, string Detail, Dictionary<string, string[]>? Errors) Map(Exception exception) => (StorageFailure(exception) ?? ProviderFailure(exception) ?? exception) switch
    {
        MemoryStorageException e => (503, "Storage unavailable", $"{e.Message} The data is unavailable right now; retry shortly.", null),
        ApiValidationException e => (400, "Invalid request", e.Message, new() { [e.Parameter] = [e.Message] }),
        ApiForbiddenException e => (403, "Forbidden", e.Message, null),
        MemoryValidationException e => Invalid(ProblemText.GrainMessage(e.Message, e.ParamName), e.ParamName is null ? null : ProblemText.InputName(e.ParamName)),
        QuotaExceededException e => (429, "Quota exceeded",
            $"The {e.Kind} quota is {e.Limit}; {e.Used} are used and this write adds {e.Requested}. Nothing was stored.", null),
        BadHttpRequestException { StatusCode: 413 } e => (413, "Request body too large", e.Message, null),
        BadHttpRequestException { StatusCode: 414 } e => (414, "URI too long", e.Message, null),
        BadHttpRequestException { StatusCode: 415 } => (415, "Unsupported media type", "Send the body as JSON (Content-Type: application/json).", null),
        BadHttpRequestException { StatusCode: 400 } => Invalid("The request is not valid for this endpoint.", "request"),
        BadHttpRequestException e => (e.StatusCode, "Invalid request", "The request is not valid for this endpoint.", null),
        MemoryNotFoundException e => (404, "Not found", e.Message, null),
        IdempotencyKeyReusedException e => (422, "Idempotency key reused", e.Message, new() { [IdempotencyHeader.Name] = [e.Message] }),
        InconsistentStateException => (409, "Conflict", "The data was changed by another writer; read it again and retry.", null),
        SiloUnavailableException => (503, "Silo unavailable", "The silo holding this data is not reachable right now; retry shortly.", null),
        Embeddings.EmbeddingServiceException e => (503, "Embedding service unavailable", e.Message, null),
        OrleansMessageRejectionException => (503, "Silo unavailable", "The silo holding this data is not reachable right now; retry shortly.", null),
        Orleans.Runtime.Messaging.ConnectionFailedException => (503, "Silo unavailable", "The silo holding this data is not reachable right now; retry shortly.", null),
        TimeoutException => (504, "Timed out", "The data did not answer in time; retry.", null),
        _ => (500, "Internal error", "The silo failed to handle the request; see its logs.", null),
    };

    private static (int, string, string, Dictionary<string, string[]>?) Invalid((string Input, string Detail) failure) =>
        Invalid(failure.Detail, failure.Input);

    /// <summary>A storage failure anywhere in the chain (an activation that could not read its state wraps it).</summary>
    private static MemoryStorageException? StorageFailure(Exception? exception) =>
        exception is null ? null : exception as MemoryStorageException ?? StorageFailure(exception.InnerException);

    /// <summary>A storage client's own failure anywhere in the chain, from a call that does not go through the grains'
    /// storage (a catalog listing statistics or grain ids): a database driver's <see cref="System.Data.Common.DbException"/>
    /// (Npgsql, SQLite) or a Redis client's <see cref="StackExchange.Redis.RedisException"/>, named by type only.</summary>
    private static MemoryStorageException? ProviderFailure(Exception? exception) => exception switch
    {
        null => null,
        System.Data.Common.DbException or StackExchange.Redis.RedisException => new MemoryStorageException("read", exception.GetType().Name),
        _ => ProviderFailure(exception.InnerException),
    };

    private static (int, string, string, Dictionary<string, string[]>?) Invalid(string detail, string? input) =>
        (400, "Invalid request", detail, input is null ? null : new() { [input] = [detail] });

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Route} (the exception is logged at Debug)")]
    private static partial void LogErrorUnhandled(ILogger logger, string exceptionType, string method, string route);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogDebugUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Status} on {Method} {Route}: {ExceptionType}")]
    private static partial void LogWarningUnavailable(ILogger logger, int status, string method, string route, string exceptionType);
}

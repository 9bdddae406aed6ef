using System.Diagnostics;

namespace OrleansMemory.Silo.Api;

/// <summary>What every problem body of the API has, and the request checks made before routing.</summary>
internal static class ApiProblems
{
    /// <summary>The member naming the request's trace (W3C trace id of <see cref="Activity.Current"/>).</summary>
    public const string TraceIdMember = "trace_id";

    /// <summary>Gives every problem body a <c>trace_id</c> (and drops the framework's camelCase <c>traceId</c>) and a title
    /// in the API's words when the framework left its own.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var extensions = context.ProblemDetails.Extensions;
        extensions.Remove("traceId");
        extensions[TraceIdMember] = TraceId(context.HttpContext);
        if (context.ProblemDetails.Status == StatusCodes.Status405MethodNotAllowed)
        {
            context.ProblemDetails.Detail ??= $"{context.HttpContext.Request.Method} is not an operation of this resource.";
        }
        else if (context.ProblemDetails.Status == StatusCodes.Status404NotFound)
        {
            context.ProblemDetails.Detail ??= "No resource here; the API is under /v1 (see /openapi/v1.json).";
        }
    }

    /// <summary>The trace id of the request: the current activity's W3C trace id, else the request's identifier.</summary>
    public static string TraceId(HttpContext context) =>
        Activity.Current is { } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : context.TraceIdentifier;

    /// <summary>Refuses request targets longer than <paramref name="maxLength"/> (414) and NUL characters in the path or
    /// query (400), before anything else reads them.</summary>
    public static void CheckRequestTarget(HttpContext context, int maxLength)
    {
        var request = context.Request;
        var length = (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);
        if (length > maxLength)
        {
            throw new BadHttpRequestException(
                $"The request target is {length} characters long; the limit is {maxLength}.", StatusCodes.Status414UriTooLong);
        }

        if (request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true
            || request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
        {
            throw new ApiValidationException("path", "The request target contains a NUL character.");
        }
    }
}

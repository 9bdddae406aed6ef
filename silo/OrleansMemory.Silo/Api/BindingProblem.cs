using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace OrleansMemory.Silo.Api;

/// <summary>Says what is wrong with a request the framework could not bind, in the API's words, from the request itself:
/// the body's JSON walked against the body type's JSON contract, and the query against the handler's parameters. The
/// framework's own message is never read.</summary>
internal static class BindingProblem
{
    /// <summary>The input at fault and what is wrong with it.</summary>
    public static async Task<(string Input, string Detail)> DescribeAsync(HttpContext context, BadHttpRequestException exception)
    {
        // The exception handler runs with the endpoint cleared; its feature keeps the one that failed.
        var endpoint = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        if (exception.InnerException is JsonException json)
        {
            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            return await JsonAsync(context, json, bodyType).ConfigureAwait(false);
        }

        if (endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: not null, IsOptional: false }
            && context.Request.ContentLength is null or 0 && !context.Request.Headers.TransferEncoding.Any())
        {
            return ("body", "This request needs a JSON body.");
        }

        return endpoint?.Metadata.GetMetadata<MethodInfo>() is { } handler && Query(context.Request.Query, handler) is { } query
            ? query
            : ("request", "The request is not valid for this endpoint.");
    }

    private static async Task<(string Input, string Detail)> JsonAsync(HttpContext context, JsonException json, Type? bodyType)
    {
        var path = json.Path is { Length: > 1 } p ? p : "$";
        var input = path == "$" ? "body" : path.TrimStart('$', '.');
        JsonDocument? document = null;
        if (json.InnerException is not JsonException && bodyType is not null && context.Request.Body.CanSeek)
        {
            context.Request.Body.Position = 0;
            try
            {
                document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                // not JSON after all: described below as such
            }
        }

        using (document)
        {
            if (document is null)
            {
                return (input, path == "$"
                    ? "The body is not valid JSON for this request."
                    : $"The body is not valid JSON for this request at {path}{Position(json)}.");
            }

            var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
                .Value.SerializerOptions;
            return Contract(path, input, document.RootElement, options.GetTypeInfo(bodyType!), options);
        }
    }

    /// <summary>Walks <paramref name="path"/> through the document and the contract together: a name the contract lacks
    /// is an unknown property, a null where the walk ends is a null not allowed, an object there lacks a required
    /// property, and anything else is a value of the wrong type.</summary>
    private static (string Input, string Detail) Contract(string path, string input, JsonElement node, JsonTypeInfo? info, JsonSerializerOptions options)
    {
        var exists = true;
        var walked = "$";
        foreach (var (name, index) in Segments(path))
        {
            if (name is not null)
            {
                if (info?.Kind == JsonTypeInfoKind.Object)
                {
                    var property = info.Properties.FirstOrDefault(p => p.Name == name);
                    if (property is null)
                    {
                        return (name, walked == "$" ? $"'{name}' is not a property of this request body." : $"'{name}' is not a property of {walked}.");
                    }

                    info = options.GetTypeInfo(property.PropertyType);
                }
                else
                {
                    info = info?.Kind == JsonTypeInfoKind.Dictionary && info.ElementType is { } value ? options.GetTypeInfo(value) : null;
                }

                exists = exists && node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out node);
                walked += "." + name;
            }
            else
            {
                info = info?.ElementType is { } element ? options.GetTypeInfo(element) : null;
                exists = exists && node.ValueKind == JsonValueKind.Array && index < node.GetArrayLength();
                node = exists ? node[index] : default;
                walked += $"[{index}]";
            }
        }

        if (exists && node.ValueKind == JsonValueKind.Null)
        {
            return (input, $"{path} must not be null.");
        }

        if (exists && node.ValueKind == JsonValueKind.Object && info?.Kind == JsonTypeInfoKind.Object)
        {
            var present = node;
            var missing = info.Properties
                .Where(p => p.IsRequired || p.AssociatedParameter is { HasDefaultValue: false })
                .Select(p => p.Name)
                .Where(n => !present.TryGetProperty(n, out _))
                .ToList();
            if (missing.Count > 0)
            {
                var at = path == "$" ? "" : $" in {path}";
                return (missing[0], $"The body{at} is missing the required propert{(missing.Count == 1 ? "y" : "ies")} {string.Join(", ", missing.Select(n => $"'{n}'"))}.");
            }
        }

        return (input, $"{path} has a value of the wrong type for this property.");
    }

    /// <summary>The segments of a System.Text.Json path: <c>$.a.b[0]['c d']</c> is a, b, [0], c d.</summary>
    private static List<(string? Name, int Index)> Segments(string path)
    {
        var segments = new List<(string?, int)>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add((path[(i + 1)..end], 0));
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add((path[(i + 2)..end], 0));
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                segments.Add((null, int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0));
                i = end + 1;
            }
        }

        return segments;
    }

    /// <summary>The query value that does not convert to its handler parameter's type (whole numbers and true/false are
    /// the only non-text query parameters of the API), or a required one that is missing.</summary>
    private static (string Input, string Detail)? Query(IQueryCollection query, MethodInfo handler)
    {
        foreach (var parameter in handler.GetParameters())
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (!(type == typeof(int) || type == typeof(long) || type == typeof(bool)))
            {
                continue;
            }

            var name = parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name!;
            var input = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
            if (!query.TryGetValue(name, out var values))
            {
                if (!parameter.HasDefaultValue && Nullable.GetUnderlyingType(parameter.ParameterType) is null)
                {
                    return (input, $"{input} is required.");
                }

                continue;
            }

            var value = values.ToString();
            var converts = type == typeof(bool) ? bool.TryParse(value, out _)
                : type == typeof(int) ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            if (!converts)
            {
                return (input, $"'{(value.Length <= 40 ? value : value[..40] + "...")}' is not a valid value for {input}.");
            }
        }

        return null;
    }

    private static string Position(JsonException json) => json.LineNumber is { } line && json.BytePositionInLine is { } column
        ? $" (line {line + 1}, byte {column + 1})"
        : "";
}

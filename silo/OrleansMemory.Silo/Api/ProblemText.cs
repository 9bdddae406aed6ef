using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansMemory.Silo.Api;

/// <summary>Puts framework and grain error messages into the API's own words: snake_case input names, JSON paths, no
/// .NET type names, no hints meant for the server's developer.</summary>
internal static partial class ProblemText
{
    private static readonly HashSet<string> BodyParameters = new(["update", "resolution", "settings"], StringComparer.Ordinal);

    /// <summary>The input name of a grain parameter path (<c>memories[2].Metadata</c> becomes <c>memories[2].metadata</c>,
    /// <c>update.Text</c> becomes <c>text</c>, <c>resolution.MergedText</c> becomes <c>merged_text</c>): a grain parameter
    /// that is the whole request body is not part of the name.</summary>
    public static string InputName(string parameter)
    {
        var dot = parameter.IndexOf('.', StringComparison.Ordinal);
        var name = dot > 0 && BodyParameters.Contains(parameter[..dot]) ? parameter[(dot + 1)..] : parameter;
        return string.Join('.', name.Split('.').Select(SnakeSegment));
    }

    /// <summary>A grain validation message with its parameter path replaced by the input name.</summary>
    public static string GrainMessage(string message, string? parameter) =>
        parameter is null || parameter.Length == 0 ? message : message.Replace(parameter, InputName(parameter), StringComparison.Ordinal);

    /// <summary>The caller-facing text of a request the framework could not bind: the body (JSON) or a route/query value.</summary>
    public static (string Input, string Detail) BindingFailure(BadHttpRequestException exception) => exception.InnerException switch
    {
        JsonException json => Json(json),
        _ => Binding(exception.Message),
    };

    private static (string Input, string Detail) Json(JsonException json)
    {
        var path = json.Path is { Length: > 1 } p ? p : "$";
        var input = path == "$" ? "body" : path.TrimStart('$', '.');
        var message = json.Message;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups[1].Value;
            return (name, $"'{name}' is not a property of this request body.");
        }

        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = missing.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(n => SnakeSegment(n.Trim('\''))).ToArray();
            var at = path == "$" ? "" : $" in {path}";
            return (names.FirstOrDefault() ?? "body", $"The body{at} is missing the required propert{(names.Length == 1 ? "y" : "ies")} {string.Join(", ", names.Select(n => $"'{n}'"))}.");
        }

        if (NullNotAllowed().IsMatch(message))
        {
            return (input, $"{path} must not be null.");
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return (input, $"{path} has a value of the wrong type for this property.");
        }

        return (input, path == "$"
            ? "The body is not valid JSON for this request."
            : $"The body is not valid JSON for this request at {path}{Position(json)}.");
    }

    private static string Position(JsonException json) => json.LineNumber is { } line && json.BytePositionInLine is { } column
        ? $" (line {line + 1}, byte {column + 1})"
        : "";

    private static (string Input, string Detail) Binding(string message)
    {
        if (BindParameter().Match(message) is { Success: true } bind)
        {
            var name = SnakeSegment(bind.Groups[1].Value);
            return (name, $"'{Shorten(bind.Groups[2].Value)}' is not a valid value for {name}.");
        }

        if (RequiredParameter().Match(message) is { Success: true } required)
        {
            var name = SnakeSegment(required.Groups[1].Value);
            return name == "body" ? ("body", "This request needs a JSON body.") : (name, $"{name} is required.");
        }

        if (message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return ("body", "This request needs a JSON body (Content-Type: application/json).");
        }

        return ("request", "The request is not valid for this endpoint.");
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";

    private static string SnakeSegment(string segment)
    {
        var bracket = segment.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0
            ? JsonNamingPolicy.SnakeCaseLower.ConvertName(segment)
            : JsonNamingPolicy.SnakeCaseLower.ConvertName(segment[..bracket]) + segment[bracket..];
    }

    [GeneratedRegex("The JSON property '(.+?)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("missing required properties including: (.+?)\\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("doesn't allow (getting |setting )?null values|cannot be null|does not allow null", RegexOptions.IgnoreCase)]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex("Failed to bind parameter \"\\S+ (\\S+)\" from \"(.*)\"")]
    private static partial Regex BindParameter();

    [GeneratedRegex("(?:Required parameter|Implicit body inferred for parameter) \"(?:\\S+ )?(\\S+)\"")]
    private static partial Regex RequiredParameter();
}

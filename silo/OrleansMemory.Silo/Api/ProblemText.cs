using System.Text.Json;

namespace OrleansMemory.Silo.Api;

/// <summary>Names the grains' parameters as the API's inputs (snake_case, JSON paths), for their validation messages.</summary>
internal static class ProblemText
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

    private static string SnakeSegment(string segment)
    {
        var bracket = segment.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0
            ? JsonNamingPolicy.SnakeCaseLower.ConvertName(segment)
            : JsonNamingPolicy.SnakeCaseLower.ConvertName(segment[..bracket]) + segment[bracket..];
    }
}

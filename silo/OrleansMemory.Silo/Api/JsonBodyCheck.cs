using System.Text.Json;
using System.Text.Unicode;

namespace OrleansMemory.Silo.Api;

/// <summary>Refuses a JSON body the API could only store changed: bytes that are not UTF-8 (System.Text.Json would
/// turn them into U+FFFD inside a string) and numbers beyond a double's range (<c>1e309</c> would be kept as text that
/// no reader can use). Values that take any JSON (cache values, documents, state, metadata) are stored as they came,
/// so they are checked here, once, before binding. Malformed JSON is left to the binder, which names the place.</summary>
internal static class JsonBodyCheck
{
    /// <summary>The middleware: checks JSON bodies of <c>/v1</c> requests.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) && request.HasJsonContentType()
            && request.ContentLength is not 0)
        {
            // Read once into memory (within Kestrel's body limit) and hand the binder that copy: never a temporary file,
            // which ASP.NET Core's request buffering writes for larger bodies and a crash would leave with the text in it.
            var body = new MemoryStream(request.ContentLength is > 0 and <= int.MaxValue ? (int)request.ContentLength : 0);
            await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            Check(body.GetBuffer().AsSpan(0, (int)body.Length));
            body.Position = 0;
            request.Body = body;
            context.Response.RegisterForDispose(body);
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Throws <see cref="ApiValidationException"/> for invalid UTF-8 or a number a double cannot hold.</summary>
    internal static void Check(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            throw new ApiValidationException("body", "The body is not valid UTF-8; send JSON text encoded as UTF-8.");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.Number && !(reader.TryGetDouble(out var value) && double.IsFinite(value)))
                {
                    var at = reader.CurrentDepth == 0 ? "the body" : $"a number in the body near byte {reader.TokenStartIndex}";
                    throw new ApiValidationException("body", $"{char.ToUpperInvariant(at[0])}{at[1..]} is beyond the range of a 64-bit floating point number; send a finite number.");
                }

                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString(); // an escaped lone surrogate (\ud800) is not text: GetString throws
                }
            }
        }
        catch (JsonException)
        {
            // malformed JSON: the binder reports it with its path
        }
        catch (InvalidOperationException)
        {
            throw new ApiValidationException("body", "The body holds a string that is not valid Unicode text (a lone surrogate escape); send valid text.");
        }
    }
}

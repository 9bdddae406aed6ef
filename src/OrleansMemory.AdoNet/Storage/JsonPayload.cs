using System.Text;
using System.Text.Json;

namespace OrleansMemory.AdoNet;

/// <summary>Decides whether a payload can also be kept as PostgreSQL <c>jsonb</c>: valid UTF-8 JSON whose strings hold
/// neither NUL nor unpaired surrogates (both of which <c>jsonb</c> rejects).</summary>
internal static class JsonPayload
{
    public static string? AsJsonText(byte[] payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped
                    && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                {
                    return null;
                }
            }

            return Encoding.UTF8.GetString(payload);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace OrleansMemory.Silo.Telemetry;

/// <summary>One JSON object per line with flat fields an SRE can query: <c>timestamp</c>, <c>level</c>, <c>category</c>,
/// <c>event_id</c>, <c>message</c>, <c>silo</c>, <c>trace_id</c>, <c>span_id</c>, every scope value in snake_case
/// (<c>grain_type</c>, <c>grain_id</c>, <c>tenant</c> inside memory grain calls; <c>request_path</c>, ... inside HTTP
/// requests), the message's own values under <c>state</c>, and <c>exception</c>.</summary>
internal sealed class SiloJsonConsoleFormatter(IOptionsMonitor<SiloJsonConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "orleansmemory-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("event_id", logEntry.EventId.Id);
            json.WriteString("message", message);
            json.WriteString("silo", options.CurrentValue.SiloName);
            if (Activity.Current is { } activity)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }

            var written = new HashSet<string>(StringComparer.Ordinal) { "timestamp", "level", "category", "event_id", "message", "silo", "trace_id", "span_id", "state", "exception" };
            scopeProvider?.ForEachScope((scope, writer) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
                        if (key != "{OriginalFormat}" && written.Add(name))
                        {
                            writer.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                }
            }, json);

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> { Count: > 1 } state)
            {
                json.WriteStartObject("state");
                foreach (var (key, value) in state)
                {
                    if (key != "{OriginalFormat}")
                    {
                        json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                json.WriteEndObject();
            }

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write(Environment.NewLine);
    }
}

/// <summary>Options of <see cref="SiloJsonConsoleFormatter"/>.</summary>
internal sealed class SiloJsonConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The silo's name, written on every line.</summary>
    public string SiloName { get; set; } = "";
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace OrleansMemory.Silo.Tests;

/// <summary>One captured log record. <paramref name="Text"/> holds what any sink could print: the message, the
/// exception, every structured value and every scope value.</summary>
internal sealed record CapturedLog(LogLevel Level, string Category, int EventId, string Text, Dictionary<string, string?> Scope, string? TraceId);

/// <summary>Keeps every log record with its message, values, exception, scopes and trace.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder(formatter(state, exception)).Append(' ').Append(exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(' ').Append(key).Append('=').Append(value);
                }
            }

            var scope = new Dictionary<string, string?>(StringComparer.Ordinal);
            provider._scopes.ForEachScope((s, _) =>
            {
                text.Append(" scope=").Append(s);
                if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        scope[key] = value?.ToString();
                        text.Append(' ').Append(key).Append('=').Append(value);
                    }
                }
            }, (object?)null);
            provider.Records.Enqueue(new CapturedLog(logLevel, category, eventId.Id, text.ToString(), scope, Activity.Current?.TraceId.ToHexString()));
        }
    }
}

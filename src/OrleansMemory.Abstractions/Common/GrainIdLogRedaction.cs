using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansMemory.Abstractions;

/// <summary>Keeps the keys of the memory grains (tenant, user, conversation, agent, cache and state ids) out of every
/// log line, Orleans' own included: Orleans prints a message's target grain (<c>user/acme/alice</c>) when it warns about
/// a call that timed out or a response it dropped. Wraps the host's <see cref="ILoggerFactory"/> so that, in every
/// record a sink receives (message, values, exception), a memory grain's id shows as its type and a short hash of its
/// key (<c>user/#1a2b3c4d</c>, the same hash the grains log: the first 8 hex digits of the key's SHA-256), whatever
/// the level.</summary>
public static partial class GrainIdLogRedaction
{
    /// <summary>Wraps the registered <see cref="ILoggerFactory"/> (call after logging is added; the silo does). A factory
    /// registered by a delegate, as this one registers its wrapper, is left as it is, so a second call changes nothing.</summary>
    public static IServiceCollection AddGrainIdLogRedaction(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);
        if (registered?.ImplementationType is not { } inner)
        {
            return services;
        }

        services.Remove(registered);
        services.Add(new ServiceDescriptor(inner, inner, registered.Lifetime));
        services.Add(new ServiceDescriptor(typeof(ILoggerFactory), sp => new RedactingLoggerFactory((ILoggerFactory)sp.GetRequiredService(inner)), registered.Lifetime));
        return services;
    }

    /// <summary><paramref name="text"/> with every memory grain id replaced by its type and the hash of its key.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return GrainId().Replace(text, m => m.Groups[1].Value + "/#" + Hash(m.Groups[2].Value));
    }

    /// <summary>Whether <paramref name="text"/> holds a memory grain id.</summary>
    public static bool HoldsGrainId(string? text) => text is not null && GrainId().IsMatch(text);

    private static string Hash(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash[..4]);
    }

    // The grain types of OrleansMemory.Grains, then a key up to the delimiters Orleans prints around a grain id.
    [GeneratedRegex(@"\b(user|conversation|conversationdirectory|agent|cache|systemstate|pendingwork)/([^\s\]\[',;""()<>{}#]+)", RegexOptions.CultureInvariant)]
    private static partial Regex GrainId();

    private sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // The container disposes the inner factory (registered as itself).
        }
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var values = state as IEnumerable<KeyValuePair<string, object?>>;
            var exceptionHolds = exception is not null && HoldsGrainId(exception.ToString());
            if (!HoldsGrainId(message) && !exceptionHolds && (values is null || !values.Any(v => v.Key != "{OriginalFormat}" && HoldsGrainId(v.Value?.ToString()))))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var redacted = new RedactedState(Redact(message), values?.Select(v => v.Key == "{OriginalFormat}" || v.Value is null || !HoldsGrainId(v.Value.ToString())
                ? v : new KeyValuePair<string, object?>(v.Key, Redact(v.Value.ToString()!))).ToList() ?? []);
            inner.Log(logLevel, eventId, redacted, exceptionHolds ? new RedactedException(exception!) : exception, static (s, _) => s.Message);
        }
    }

    /// <summary>A record's values with the ids redacted; prints its redacted message.</summary>
    private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }

    /// <summary>Stands for an exception whose text holds a grain id: its type, message, inner exceptions and stack, redacted.</summary>
    private sealed class RedactedException(Exception original) : Exception(Redact(original.ToString()))
    {
        public override string ToString() => Message;
    }
}

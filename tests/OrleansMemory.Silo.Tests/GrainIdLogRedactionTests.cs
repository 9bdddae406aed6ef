using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains;

namespace OrleansMemory.Silo.Tests;

/// <summary>The log redaction of grain ids: a memory grain's key becomes the hash the grains log (<see cref="LogId"/>),
/// in the message, the values and the exception a sink receives; other text passes unchanged.</summary>
public sealed class GrainIdLogRedactionTests
{
    [Fact]
    public void A_grain_id_shows_as_its_type_and_the_hash_of_its_key()
    {
        var line = "Response did not arrive on time for message: 'Request [sys.client/1]->[S127.0.0.1:1:0 user/acme/alice@example.com] IUserGrain.AddMemoryAsync #5'";
        var redacted = GrainIdLogRedaction.Redact(line);
        Assert.DoesNotContain("alice", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", redacted, StringComparison.Ordinal);
        Assert.Contains($"user/#{LogId.Of("acme/alice@example.com")}]", redacted, StringComparison.Ordinal);
        Assert.Contains("sys.client/1", redacted, StringComparison.Ordinal);
        Assert.Equal("GET /v1/users/{userId}/memories answered 503", GrainIdLogRedaction.Redact("GET /v1/users/{userId}/memories answered 503"));
    }

    [Fact]
    public void Every_sink_receives_the_redacted_record()
    {
        var records = new List<string>();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(new ListProvider(records)).SetMinimumLevel(LogLevel.Debug)).AddGrainIdLogRedaction();
        using var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Messaging");
        logger.LogWarning(new InvalidOperationException("target conversation/acme/c-42 gone"), "Dropping message {Message}", "Request -> [agent/acme/bot-7]");
        logger.LogInformation("Silo started");

        Assert.Equal(2, records.Count);
        Assert.DoesNotContain("c-42", records[0], StringComparison.Ordinal);
        Assert.DoesNotContain("bot-7", records[0], StringComparison.Ordinal);
        Assert.Contains($"agent/#{LogId.Of("acme/bot-7")}", records[0], StringComparison.Ordinal);
        Assert.Contains($"conversation/#{LogId.Of("acme/c-42")}", records[0], StringComparison.Ordinal);
        Assert.StartsWith("Silo started", records[1], StringComparison.Ordinal);
    }

    private sealed class ListProvider(List<string> records) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(records);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => p.Key + "=" + p.Value)) : "";
            records.Add($"{formatter(state, exception)} {values} {exception}");
        }
    }
}

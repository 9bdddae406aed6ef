using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OrleansMemory.Configuration;

/// <summary>Validates <see cref="RedisGrainStorageOptions"/>, reporting every failure at once.</summary>
public sealed class RedisGrainStorageOptionsValidator : IValidateOptions<RedisGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisGrainStorageOptions options)
    {
        var failures = Failures(name, options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every failure of the options; empty when they are valid.</summary>
    public static IEnumerable<string> Failures(string? name, RedisGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = $"Redis storage '{name}':";
        if (string.IsNullOrWhiteSpace(options.ConfigurationString))
        {
            yield return $"{prefix} ConfigurationString must be set.";
        }
        else if (Parse(options.ConfigurationString) is { } error)
        {
            yield return $"{prefix} ConfigurationString '{options.ConfigurationString}' is invalid: {error}";
        }

        if (options.KeyPrefix is null)
        {
            yield return $"{prefix} KeyPrefix must not be null.";
        }

        if (options.Database < -1)
        {
            yield return $"{prefix} Database must be -1 or a database number (was {options.Database}).";
        }

        foreach (var (state, ttl) in options.StateTimeToLive ?? [])
        {
            if (ttl <= TimeSpan.Zero)
            {
                yield return $"{prefix} StateTimeToLive['{state}'] must be positive (was {ttl}).";
            }
        }
    }

    private static string? Parse(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count == 0 ? "no endpoint" : null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}

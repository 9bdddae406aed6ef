using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OrleansMemory.Configuration;

/// <summary>Validates <see cref="AdoNetGrainStorageOptions"/>, reporting every failure at once.</summary>
public sealed partial class AdoNetGrainStorageOptionsValidator : IValidateOptions<AdoNetGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AdoNetGrainStorageOptions options)
    {
        var failures = Failures(name, options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every failure of the options; empty when they are valid.</summary>
    public static IEnumerable<string> Failures(string? name, AdoNetGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = $"ADO.NET storage '{name}':";
        if (options.Invariant is not (AdoNetGrainStorageOptions.SqliteInvariant or AdoNetGrainStorageOptions.PostgresInvariant))
        {
            yield return $"{prefix} Invariant '{options.Invariant}' is not supported (use '{AdoNetGrainStorageOptions.SqliteInvariant}' or '{AdoNetGrainStorageOptions.PostgresInvariant}').";
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            yield return $"{prefix} ConnectionString must be set.";
        }

        if (options.ServiceId is null)
        {
            yield return $"{prefix} ServiceId must not be null.";
        }

        if (options.TableName is null || !Identifier().IsMatch(options.TableName))
        {
            yield return $"{prefix} TableName '{options.TableName}' must be 1 to 63 letters, digits or underscores, not starting with a digit.";
        }

        if (options.Schema is not null && !Identifier().IsMatch(options.Schema))
        {
            yield return $"{prefix} Schema '{options.Schema}' must be 1 to 63 letters, digits or underscores, not starting with a digit.";
        }

        if (options.CommandTimeout <= TimeSpan.Zero || options.CommandTimeout > TimeSpan.FromHours(1))
        {
            yield return $"{prefix} CommandTimeout must be positive and at most one hour (was {options.CommandTimeout}).";
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}

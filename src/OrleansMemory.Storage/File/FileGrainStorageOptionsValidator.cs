using Microsoft.Extensions.Options;

namespace OrleansMemory.Storage;

/// <summary>Validates <see cref="FileGrainStorageOptions"/>, reporting every failure at once.</summary>
public sealed class FileGrainStorageOptionsValidator : IValidateOptions<FileGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FileGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(name, options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every failure of the options; empty when they are valid.</summary>
    public static IEnumerable<string> Failures(string? name, FileGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = $"File storage '{name}':";
        if (string.IsNullOrWhiteSpace(options.BaseDirectory))
        {
            yield return $"{prefix} BaseDirectory must be set.";
        }

        if (options.MaxBackupFiles < 1)
        {
            yield return $"{prefix} MaxBackupFiles must be at least 1 (was {options.MaxBackupFiles}).";
        }

        foreach (var (map, label) in new[] { (options.GrainTypeDirectories, "GrainTypeDirectories"), (options.StateFileNames, "StateFileNames") })
        {
            if (map is null)
            {
                yield return $"{prefix} {label} must not be null.";
                continue;
            }

            foreach (var (from, to) in map)
            {
                if (string.IsNullOrEmpty(to) || StorageKeyEscaper.Escape(to) != to)
                {
                    yield return $"{prefix} {label}['{from}'] = '{to}' is not a plain file name (letters, digits, '-', '_', non-leading '.').";
                }
            }

            foreach (var group in map.GroupBy(p => p.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                yield return $"{prefix} {label} maps several names to '{group.Key}'.";
            }
        }
    }
}

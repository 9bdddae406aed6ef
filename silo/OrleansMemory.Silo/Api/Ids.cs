using System.Text.RegularExpressions;

namespace OrleansMemory.Silo.Api;

/// <summary>Rules for tenants and ids in URLs: the tenant and the id together form a grain key
/// (<c>{tenant}/{id}</c>), so neither may contain <c>/</c>.</summary>
public static partial class Ids
{
    /// <summary>Longest id accepted.</summary>
    public const int MaxIdLength = 200;

    /// <summary>Whether <paramref name="value"/> is a valid tenant (1-64 of a-z, A-Z, 0-9, '-', '_').</summary>
    public static bool IsValidTenant(string? value) => value is not null && TenantPattern().IsMatch(value);

    /// <summary>Whether <paramref name="value"/> is a valid entity id (1-200 of letters, digits and <c>. _ - : @ + =</c>).</summary>
    public static bool IsValidId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>The grain key of <paramref name="id"/> in <paramref name="tenant"/>.</summary>
    /// <exception cref="ApiValidationException">The id is not valid.</exception>
    public static string GrainKey(string tenant, string id, string parameter)
    {
        if (!IsValidId(id))
        {
            throw new ApiValidationException(parameter,
                $"'{Shorten(id)}' is not a valid {parameter}: use 1-{MaxIdLength} characters of letters, digits and . _ - : @ + =");
        }

        return $"{tenant}/{id}";
    }

    /// <summary>The id part of a grain key built by <see cref="GrainKey"/>.</summary>
    public static string IdOf(string grainKey) => grainKey[(grainKey.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static string Shorten(string? value) => value is null ? "" : value.Length <= 40 ? value : value[..40] + "...";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex TenantPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._:@+=-]{1,200}$")]
    private static partial Regex IdPattern();
}

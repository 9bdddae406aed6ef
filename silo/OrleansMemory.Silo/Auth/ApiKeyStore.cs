using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Api;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Auth;

/// <summary>The configured API keys, stored as SHA-256 hashes, and the resolved auth mode.</summary>
public sealed class ApiKeyStore
{
    private readonly Dictionary<string, ClaimsPrincipal> _byHash = new(StringComparer.Ordinal);

    /// <summary>Builds the store from the silo's options.</summary>
    public ApiKeyStore(IOptions<SiloOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var silo = options.Value;
        Enabled = IsEnabled(silo);
        DevelopmentPrincipal = Principal("development", silo.Auth.DevelopmentTenant, Scopes.All);
        foreach (var key in silo.Auth.ApiKeys)
        {
            _byHash[Hash(key.Key)] = Principal(key.Name ?? key.Tenant, key.Tenant, key.Scopes, key.User);
        }
    }

    /// <summary>Whether keys are required.</summary>
    public bool Enabled { get; }

    /// <summary>The principal of every request when keys are not required.</summary>
    public ClaimsPrincipal DevelopmentPrincipal { get; }

    /// <summary>Whether the options require keys: <see cref="AuthMode.Auto"/> requires them unless the silo listens on loopback only.</summary>
    public static bool IsEnabled(SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Auth.Mode switch
        {
            AuthMode.Required => true,
            AuthMode.Disabled => false,
            _ => !IsLoopback(options.Http.ListenAddress),
        };
    }

    /// <summary>Whether <paramref name="address"/> is a loopback address.</summary>
    public static bool IsLoopback(string address) =>
        address == "localhost" || System.Net.IPAddress.TryParse(address, out var ip) && System.Net.IPAddress.IsLoopback(ip);

    /// <summary>The principal of a presented key, or null.</summary>
    public ClaimsPrincipal? Find(string presentedKey) => _byHash.GetValueOrDefault(Hash(presentedKey));

    /// <summary>The outcome of authenticating a request under <paramref name="scheme"/>: the development principal when
    /// keys are off, no result when no key was presented (<paramref name="presentedKey"/> is read only when keys are
    /// on), the key's principal, or a failure for an unknown key.</summary>
    public AuthenticateResult Authenticate(string scheme, Func<string?> presentedKey)
    {
        if (!Enabled)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(DevelopmentPrincipal, scheme));
        }

        if (presentedKey() is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        return Find(presented) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, scheme))
            : AuthenticateResult.Fail("The API key is not valid.");
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static ClaimsPrincipal Principal(string name, string tenant, IEnumerable<string> scopes, string? user = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(TenantContext.TenantClaim, tenant) };
        claims.AddRange(scopes.Select(s => new Claim(TenantContext.ScopeClaim, s)));
        if (user is not null)
        {
            claims.Add(new Claim(TenantContext.UserClaim, user));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthenticationHandler.SchemeName));
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Auth;

namespace OrleansMemory.Silo.Dashboard;

/// <summary>Authentication of the Orleans Dashboard, a single-page app that cannot add an API key header to its own
/// requests: HTTP Basic (the browser asks once; the API key is the password, any user name), or the API's
/// <c>Authorization: Bearer</c> / <c>X-Api-Key</c>. When keys are off, every request is the development principal.</summary>
internal sealed class DashboardAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "DashboardBasic";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(keys.Authenticate(SchemeName, () => PresentedKey(Request)));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"OrleansMemory dashboard (password: an operator API key)\", charset=\"UTF-8\"";
        return Response.WriteAsync("An operator API key is needed: give it as the password (any user name).", Context.RequestAborted);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsync("This API key has no operator scope.", Context.RequestAborted);
    }


    private static string? PresentedKey(HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header) && header.Parameter is { Length: > 0 } value)
        {
            if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return value.Trim();
            }

            if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    var pair = Encoding.UTF8.GetString(Convert.FromBase64String(value));
                    var colon = pair.IndexOf(':', StringComparison.Ordinal);
                    return colon < 0 ? pair : pair[(colon + 1)..] is { Length: > 0 } password ? password : pair[..colon];
                }
                catch (FormatException)
                {
                    return null;
                }
            }
        }

        var apiKey = request.Headers["X-Api-Key"].ToString();
        return apiKey.Length > 0 ? apiKey.Trim() : null;
    }
}

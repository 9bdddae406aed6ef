using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrleansMemory.Silo.Hosting;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>Drives the dashboard in headless Debian chromium against a running silo (real socket) and checks that
/// the numbers shown are the API's.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Dashboard_shows_the_numbers_of_the_api()
    {
        if (!File.Exists(Chromium))
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, $"{Chromium} is missing (apt-get install -y chromium)");
            output.WriteLine($"Not run: {Chromium} is missing (apt-get install -y chromium).");
            return;
        }

        var storage = Directory.CreateTempSubdirectory("omem-dashboard-");
        await using var app = SiloApplication.Create(["--OrleansMemory:Http:Port=0", "--OrleansMemory:SiloPort=0", "--OrleansMemory:GatewayPort=0", "--Logging:LogLevel:Default=Warning", "--OrleansMemory:Storage:Type=file",
            $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}", "--OrleansMemory:Grains:AutoResolveSingletonConflicts=false"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        foreach (var (user, place) in new[] { ("ann", "Rome"), ("bob", "Oslo") })
        {
            await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Paris","embedding":[1,0,0]}""")).Expect(201);
            await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"I live in {{place}}","embedding":[0.9,0.3,0]}""")).Expect(201);
        }

        await client.PutAsync("/v1/cache/answer", Http.Body("""{"value":42}""")).Expect(204);
        await client.PutAsync("/v1/conversations/c1/document", Http.Body("""{"title":"x"}""")).Expect(204);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(address + "/dashboard");
        await page.WaitForSelectorAsync("body[data-loaded='true']");

        var summary = await client.GetAsync("/dashboard/api/summary").Expect(200);
        Assert.Equal(summary.GetProperty("pending_conflicts").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), await page.InnerTextAsync("#pending-conflicts"));
        Assert.Equal("2", await page.InnerTextAsync("#pending-conflicts"));
        Assert.Equal("1", await page.InnerTextAsync("#silo-count"));
        Assert.Equal(summary.GetProperty("total_activations").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), await page.InnerTextAsync("#total-activations"));

        var shown = await page.EvalOnSelectorAllAsync<string[][]>("#activations tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))");
        var expected = summary.GetProperty("activations").EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new[] { p.Name, p.Value.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
        Assert.Equal(expected, shown);
        Assert.Contains(shown, r => r[0] == "cache");

        var storageRows = await page.EvalOnSelectorAllAsync<string[][]>("#storage tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))");
        var users = Assert.Single(storageRows, r => r[3] == "user");
        Assert.Equal(StorageFigure(summary, "user", "record_count"), users[5]);
        Assert.Equal("file", users[1]);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine("Screenshot: " + screenshot);
        Assert.True(new FileInfo(screenshot).Length > 0);
        await app.StopAsync();
        storage.Delete(recursive: true);
    }

    private static string StorageFigure(JsonElement summary, string grainType, string property) =>
        summary.GetProperty("storage")[0].GetProperty("grain_types").EnumerateArray()
            .Single(t => t.GetProperty("grain_type").GetString() == grainType).GetProperty(property).GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

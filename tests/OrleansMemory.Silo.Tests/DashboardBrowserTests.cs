using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrleansMemory.Silo.Hosting;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>Drives both dashboards in headless Debian chromium against two real silos (sockets, localhost clustering),
/// one of which is stopped: the figures shown are the APIs', silos carry their configured names, the stopped one is
/// shown dead and not counted live, and every chart has one scale and a time axis.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Both_dashboards_show_live_figures_that_agree_with_the_apis()
    {
        if (!File.Exists(Chromium))
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, $"{Chromium} is missing (apt-get install -y chromium)");
            output.WriteLine($"Not run: {Chromium} is missing (apt-get install -y chromium).");
            return;
        }

        var storage = Directory.CreateTempSubdirectory("omem-dashboard-");
        var ports = LoopbackPorts.Free(2);
        var (alphaPort, betaPort) = (ports[0], ports[1]);
        await using var alpha = await StartAsync(storage, "alpha", alphaPort, primary: null);
        await using var beta = await StartAsync(storage, "beta", betaPort, primary: alphaPort);
        var address = Address(alpha);
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        foreach (var (user, place) in new[] { ("ann", "Rome"), ("bob", "Oslo") })
        {
            await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Paris","embedding":[1,0,0]}""")).Expect(201);
            await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"I live in {{place}}","embedding":[0.9,0.3,0]}""")).Expect(201);
        }

        await client.PutAsync("/v1/cache/answer", Http.Body("""{"value":42}""")).Expect(204);
        await client.PutAsync("/v1/conversations/c1/document", Http.Body("""{"title":"x"}""")).Expect(204);
        await WaitForAsync(client, s => s.GetProperty("live_silos").GetInt32() == 2, "both silos active");
        await beta.StopAsync();
        var summary = await WaitForAsync(client, s => s.GetProperty("silos").EnumerateArray().Any(x => x.GetProperty("name").GetString() == "beta"
            && x.GetProperty("status").GetString() == "dead") && s.GetProperty("series").GetArrayLength() >= 2, "beta dead in the membership");
        Assert.Equal(1, summary.GetProperty("live_silos").GetInt32());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await page.GotoAsync(address + "/dashboard");
        await page.WaitForSelectorAsync("body[data-loaded='true'] svg#chart-bytes[data-ready='true']");
        summary = await client.GetAsync("/dashboard/api/summary").Expect(200);

        // Counts agree with the API; the stopped silo is listed dead under its configured name and not counted live.
        Assert.Equal("1", await page.InnerTextAsync("#live-silos"));
        Assert.StartsWith("1 dead", await page.InnerTextAsync("#dead-silos"), StringComparison.Ordinal);
        var silos = await Rows(page, "#silos tr");
        Assert.Equal(["alpha", "active"], silos[0][0..1].Append(silos[0][2]));
        Assert.Equal(["beta", "dead"], silos[1][0..1].Append(silos[1][2]));
        foreach (var (id, property) in new[] { ("users", "users"), ("conversations", "conversations"), ("memories", "memories"), ("pending-conflicts", "pending_conflicts") })
        {
            Assert.Equal(summary.GetProperty(property).GetInt64().ToString("N0", CultureInfo.InvariantCulture), await page.InnerTextAsync("#" + id));
        }

        Assert.Equal("2", await page.InnerTextAsync("#users"));
        Assert.Equal("2", await page.InnerTextAsync("#pending-conflicts"));
        var users = Assert.Single(await Rows(page, "#storage tr"), r => r[3] == "user");
        Assert.Equal(["file", "2"], new[] { users[1], users[4] });

        // Every chart: one y axis (five ticks, 0 at the bottom), a time axis (HH:MM:SS), every line inside the plot.
        foreach (var chart in new[] { "chart-rate", "chart-latency", "chart-bytes" })
        {
            Assert.Equal(1, await page.Locator($"#{chart} .y-axis").CountAsync());
            var yTicks = await page.Locator($"#{chart} .y-axis text").AllTextContentsAsync();
            Assert.Equal(5, yTicks.Count);
            Assert.Equal("0", yTicks[0]);
            Assert.Equal(double.Parse(await page.GetAttributeAsync($"#{chart}", "data-y-max") ?? "", CultureInfo.InvariantCulture),
                double.Parse(yTicks[4].Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
            var xTicks = await page.Locator($"#{chart} .x-axis text").AllTextContentsAsync();
            Assert.Equal(4, xTicks.Count);
            Assert.All(xTicks, t => Assert.Matches(@"^\d\d:\d\d:\d\d$", t));
            var ys = await page.EvalOnSelectorAllAsync<double[]>($"#{chart} path", "paths => paths.flatMap(p => p.getAttribute('d').split(/[ML]/).filter(s => s.trim()).map(s => +s.trim().split(' ')[1]))");
            Assert.NotEmpty(ys);
            Assert.All(ys, y => Assert.InRange(y, 10, 192.01));
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "dashboard.png"), FullPage = true });

        // Orleans' dashboard, linked from ours: it lists the live silo by name and the activations its own API reports.
        await page.ClickAsync("#orleans-link");
        await page.WaitForURLAsync("**/orleans-dashboard/");
        JsonElement counters = default;
        for (var i = 0; i < 60 && !ActiveHosts(counters).Any(); i++)
        {
            await Task.Delay(i == 0 ? 0 : 500);
            counters = await client.GetAsync("/orleans-dashboard/DashboardCounters").Expect(200);
        }

        Assert.True(ActiveHosts(counters).Count() == 1, counters.ToString());
        Assert.Equal("alpha", ActiveHosts(counters).Single().GetProperty("siloName").GetString());
        var activeSilos = page.Locator(".info-box", new PageLocatorOptions { HasText = "Active Silos" }).Locator(".info-box-number");
        await WaitForTextAsync(activeSilos, ActiveHosts(counters).Count().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, counters.GetProperty("totalActiveHostCount").GetInt32());

        // Activations may still move (Orleans' own grains come and go), so the page's figure must lie between two
        // readings of the API taken around it.
        var activations = page.Locator(".info-box", new PageLocatorOptions { HasText = "Total Activations" }).Locator(".info-box-number");
        var before = await ApplicationActivationsAsync(client);
        await Task.Delay(2500); // the page polls every second
        var shown = int.Parse(await activations.InnerTextAsync(), CultureInfo.InvariantCulture);
        var after = await ApplicationActivationsAsync(client);
        Assert.InRange(shown, Math.Min(before, after), Math.Max(before, after));
        Assert.True(shown > 0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "orleans-dashboard.png"), FullPage = true });
        await page.GotoAsync(address + "/orleans-dashboard/#/silos");
        await page.WaitForFunctionAsync("() => document.querySelector('#content').innerText.includes('alpha')", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await alpha.StopAsync();
        storage.Delete(recursive: true);
    }

    private static async Task<WebApplication> StartAsync(DirectoryInfo storage, string name, int siloPort, int? primary)
    {
        string[] args = ["--OrleansMemory:Http:Port=0", $"--OrleansMemory:SiloPort={siloPort}", "--OrleansMemory:GatewayPort=0", $"--OrleansMemory:SiloName={name}",
            "--Logging:LogLevel:Default=Warning", "--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}",
            "--OrleansMemory:Grains:AutoResolveSingletonConflicts=false", "--OrleansMemory:ShutdownTimeout=00:00:10"];
        var app = SiloApplication.Create(primary is { } port ? [.. args, $"--OrleansMemory:Clustering:PrimarySiloPort={port}"] : args);
        await app.StartAsync();
        return app;
    }

    /// <summary>Waits (polling, as the page does) until <paramref name="locator"/> shows <paramref name="expected"/>.</summary>
    private static async Task WaitForTextAsync(ILocator locator, string expected)
    {
        for (var i = 0; i < 60 && (await locator.CountAsync() == 0 || await locator.InnerTextAsync() != expected); i++)
        {
            await Task.Delay(500);
        }

        Assert.Equal(expected, await locator.InnerTextAsync());
    }

    /// <summary>Activations as the Orleans Dashboard's overview counts them: the sum over its grain statistics.</summary>
    private static async Task<int> ApplicationActivationsAsync(HttpClient client) =>
        (await client.GetAsync("/orleans-dashboard/DashboardCounters").Expect(200))
            .GetProperty("simpleGrainStats").EnumerateArray().Sum(g => g.GetProperty("activationCount").GetInt32());

    private static IEnumerable<JsonElement> ActiveHosts(JsonElement counters) =>
        counters.ValueKind == JsonValueKind.Object ? counters.GetProperty("hosts").EnumerateArray().Where(h => h.GetProperty("status").GetString() == "Active") : [];

    private static string Address(WebApplication app) => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    private static async Task<JsonElement> WaitForAsync(HttpClient client, Func<JsonElement, bool> condition, string what)
    {
        JsonElement summary = default;
        for (var i = 0; i < 120; i++)
        {
            summary = await client.GetAsync("/dashboard/api/summary").Expect(200);
            if (condition(summary))
            {
                return summary;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"Timed out waiting for {what}: {summary}");
        return summary;
    }

    private static async Task<string[][]> Rows(IPage page, string selector) =>
        await page.EvalOnSelectorAllAsync<string[][]>(selector, "rows => rows.map(r => [...r.cells].map(c => c.textContent))");

}

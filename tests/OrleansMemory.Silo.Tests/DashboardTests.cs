using System.Net.Http.Headers;
using System.Text;

namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class DashboardTests(SiloFactory silo)
{
    [Fact]
    public async Task Page_and_assets_are_served_without_a_key()
    {
        using var page = await silo.Client(key: null).GetAsync("/dashboard");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<svg id=\"chart-rate\"", html);
        Assert.Contains("href=\"/orleans-dashboard/\"", html);
        using var script = await silo.Client(key: null).GetAsync("/dashboard/dashboard.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        await silo.Client(key: null).GetAsync("/dashboard/secrets.json").ExpectProblem(404);
    }

    [Fact]
    public async Task Summary_needs_operator_and_counts_users_memories_conflicts_storage_and_operations()
    {
        await silo.Client(key: null).GetAsync("/dashboard/api/summary").ExpectProblem(401);
        await silo.Client().GetAsync("/dashboard/api/summary").ExpectProblem(403);
        // It counts every tenant: a tenant's admin may not see it.
        await silo.Client(SiloFactory.AdminA).GetAsync("/dashboard/api/summary").ExpectProblem(403);

        var user = Http.NewId("user");
        var client = silo.Client();
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Paris","embedding":[1,0,0]}""")).Expect(201);
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Rome","embedding":[0.9,0.3,0]}""")).Expect(201);

        var summary = await silo.Client(SiloFactory.Operator).GetAsync("/dashboard/api/summary").Expect(200);
        var self = Assert.Single(summary.GetProperty("silos").EnumerateArray());
        Assert.Equal("active", self.GetProperty("status").GetString());
        Assert.Equal(summary.GetProperty("silo_name").GetString(), self.GetProperty("name").GetString());
        Assert.Equal(1, summary.GetProperty("live_silos").GetInt32());
        Assert.True(summary.GetProperty("users").GetInt64() >= 1);
        Assert.True(summary.GetProperty("memories").GetInt64() >= 2);
        Assert.True(summary.GetProperty("pending_conflicts").GetInt32() >= 1);
        Assert.True(summary.GetProperty("total_operations").GetInt64() >= 2);
        Assert.Equal("/orleans-dashboard/", summary.GetProperty("orleans_dashboard").GetString());
        Assert.Contains(summary.GetProperty("storage")[0].GetProperty("grain_types").EnumerateArray(), t => t.GetProperty("grain_type").GetString() == "user");
    }

    [Fact]
    public async Task Orleans_dashboard_is_mounted_for_operators_by_basic_auth_or_api_key()
    {
        using (var anonymous = await silo.Client(key: null).GetAsync("/orleans-dashboard/"))
        {
            Assert.Equal(401, (int)anonymous.StatusCode);
            Assert.StartsWith("Basic ", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var readWrite = await silo.Client().GetAsync("/orleans-dashboard/DashboardCounters"))
        {
            Assert.Equal(403, (int)readWrite.StatusCode);
        }

        using (var tenantAdmin = await silo.Client(SiloFactory.AdminA).GetAsync("/orleans-dashboard/DashboardCounters"))
        {
            Assert.Equal(403, (int)tenantAdmin.StatusCode);
        }

        var basic = silo.Client(key: null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:" + SiloFactory.Operator)));
        using (var page = await basic.GetAsync("/orleans-dashboard/"))
        {
            Assert.Equal(200, (int)page.StatusCode);
            Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync());
        }

        var counters = await silo.Client(SiloFactory.Operator).GetAsync("/orleans-dashboard/DashboardCounters").Expect(200);
        Assert.Contains(counters.GetProperty("hosts").EnumerateArray(), h => h.GetProperty("status").GetString() == "Active");
    }
}

namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class DashboardTests(SiloFactory silo)
{
    [Fact]
    public async Task Page_and_assets_are_served_without_a_key()
    {
        using var page = await silo.Client(key: null).GetAsync("/dashboard");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<canvas id=\"chart\"", await page.Content.ReadAsStringAsync());
        using var script = await silo.Client(key: null).GetAsync("/dashboard/dashboard.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        await silo.Client(key: null).GetAsync("/dashboard/secrets.json").ExpectProblem(404);
    }

    [Fact]
    public async Task Summary_needs_admin_and_counts_activations_storage_and_pending_conflicts()
    {
        await silo.Client(key: null).GetAsync("/dashboard/api/summary").ExpectProblem(401);
        await silo.Client().GetAsync("/dashboard/api/summary").ExpectProblem(403);

        var user = Http.NewId("user");
        var client = silo.Client();
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Paris","embedding":[1,0,0]}""")).Expect(201);
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Rome","embedding":[0.9,0.3,0]}""")).Expect(201);

        var summary = await silo.Client(SiloFactory.AdminA).GetAsync("/dashboard/api/summary").Expect(200);
        Assert.Equal("active", Assert.Single(summary.GetProperty("silos").EnumerateArray()).GetProperty("status").GetString());
        Assert.True(summary.GetProperty("activations").GetProperty("user").GetInt64() >= 1);
        Assert.True(summary.GetProperty("pending_conflicts").GetInt32() >= 1);
        Assert.True(summary.GetProperty("total_calls").GetInt64() >= 2);
        Assert.Contains(summary.GetProperty("storage")[0].GetProperty("grain_types").EnumerateArray(), t => t.GetProperty("grain_type").GetString() == "user");
    }
}

namespace OrleansMemory.Silo.Hosting;

/// <summary>The <c>healthcheck</c> command: asks a running silo's health endpoint.</summary>
public static class HealthProbe
{
    /// <summary>0 when <paramref name="url"/> answers 200 within five seconds, else 1.</summary>
    public static async Task<int> RunAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri(url)).ConfigureAwait(false);
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            Console.Error.WriteLine($"{url}: {ex.Message}");
            return 1;
        }
    }
}

using System.Globalization;
using ExistingOrleansApp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Abstractions;
using OrleansMemory.Hosting;

// An Orleans app that already exists, with a grain of its own, hosting the OrleansMemory grains in its silo.
// Ports can be changed on the command line: --SiloPort=11111 --GatewayPort=30000.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var siloPort = builder.Configuration.GetValue("SiloPort", 11111);
var gatewayPort = builder.Configuration.GetValue("GatewayPort", 30000);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort, gatewayPort, serviceId: "existing-app", clusterId: "existing-app")
    // Grain state as System.Text.Json: readable, and read back whatever the state's type (see OrleansMemory.Grains' README).
    .UseSystemTextJsonGrainStorageSerializer()
    // The memory grains keep their records in the provider named "Default" (MemoryGrainOptions.StorageProviderName).
    .AddMemoryGrainStorage("Default")
    .AddMemoryGrains());

using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();

// The app's own grain.
var greeter = grains.GetGrain<IGreeterGrain>("front-desk");
Console.WriteLine($"greeter: {await greeter.GreetAsync("Alice")}");
Console.WriteLine($"greeter: {await greeter.GreetAsync("Bob")}");

// A memory grain in the same silo: two memories with (tiny, 4-dimension) embeddings, then a search.
var alice = grains.GetGrain<IUserGrain>("alice");
var tea = await alice.AddMemoryAsync("Alice prefers green tea", [0.9f, 0.1f, 0f, 0.1f], MemoryTypes.Preference, importance: 0.8);
var city = await alice.AddMemoryAsync("Alice lives in Lisbon", [0f, 0.2f, 0.9f, 0.1f]);
Console.WriteLine($"memory: {tea.Outcome} '{tea.Memory.Text}' ({tea.Memory.Id})");
Console.WriteLine($"memory: {city.Outcome} '{city.Memory.Text}' ({city.Memory.Id})");
foreach (var hit in await alice.SearchAsync([1f, 0.05f, 0f, 0.1f], topK: 2))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search: '{hit.Memory.Text}' score {hit.Score:0.000}"));
}

var stats = await alice.GetStatsAsync();
Console.WriteLine($"stats: {stats}");
await host.StopAsync();
Console.WriteLine("done");

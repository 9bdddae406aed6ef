using System.ClientModel;
using System.Text.Json;
using AgentWithMemory;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenAI;
using OrleansMemory.AgentFramework;
using OrleansMemory.Hosting;

// An agent host with long-term memory and chat history in an OrleansMemory cluster (run a silo first: its gateway is
// port 30000). Offline by default (a scripted stand-in model); any OpenAI-compatible endpoint by configuration, e.g.
// Ollama: --Model:Endpoint=http://localhost:11434/v1 --Model:Name=llama3.2
// --User=alice --Tenant=default  whose memory (the silo's development tenant is "default")
// --Session=alice.json          keep the session in this file: a later run (another process) continues it
// --Prompt:0="..." --Prompt:1="..."  what the user says (default: a short script)
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var config = builder.Configuration;
builder.UseOrleansClient(client => client.UseLocalhostClustering(
    config.GetValue("Gateway", 30000), config.GetValue("ServiceId", "orleansmemory")!, config.GetValue("ClusterId", "dev")!));
builder.Services.AddOrleansMemory();

var host = builder.Build();
await host.StartAsync();

IChatClient model = config["Model:Endpoint"] is { Length: > 0 } endpoint
    ? new OpenAIClient(new ApiKeyCredential(config["Model:ApiKey"] ?? "unused"), new OpenAIClientOptions { Endpoint = new Uri(endpoint) })
        .GetChatClient(config["Model:Name"] ?? "llama3.2").AsIChatClient()
    : new ScriptedChatClient();
var agent = new ChatClientAgent(model, new ChatClientAgentOptions
{
    ChatOptions = new ChatOptions { Instructions = "You are a helpful assistant. Use what you remember about the user; call remember to keep lasting facts." },
    AIContextProviders = [host.Services.GetRequiredService<OrleansMemoryProvider>()],
    ChatHistoryProvider = host.Services.GetRequiredService<OrleansChatHistoryProvider>(),
});

var sessionFile = config["Session"];
AgentSession session;
if (sessionFile is not null && File.Exists(sessionFile))
{
    session = await agent.DeserializeSessionAsync(JsonDocument.Parse(await File.ReadAllTextAsync(sessionFile)).RootElement);
    Console.WriteLine($"session: restored from {sessionFile}");
}
else
{
    session = (await agent.CreateSessionAsync()).SetOrleansMemoryScope(
        new OrleansMemoryScope(config["User"] ?? "alice", config["Tenant"] ?? "default", AgentId: "agent-with-memory"));
    Console.WriteLine("session: new");
}

string[] prompts = config.GetSection("Prompt").Get<string[]>() ?? ["Remember: I am allergic to peanuts", "What should I avoid eating?"];
foreach (var prompt in prompts)
{
    Console.WriteLine($"user: {prompt}");
    var reply = await agent.RunAsync(prompt, session);
    Console.WriteLine($"agent: {reply.Text}");
}

if (sessionFile is not null)
{
    await File.WriteAllTextAsync(sessionFile, (await agent.SerializeSessionAsync(session)).GetRawText());
}

await host.StopAsync();
host.Dispose(); // flushes the loggers, so that "done" is the last line
Console.WriteLine("done");

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansMemory.Embeddings.Tests;

/// <summary>A small OpenAI-compatible server on loopback (as Ollama or vLLM serve): <c>POST /v1/embeddings</c> answers
/// a vector per input (its length, then 1, 0...), <c>POST /v1/chat/completions</c> answers <see cref="ChatAnswer"/>.
/// Records the model and the authorization header of every request.</summary>
internal sealed class OpenAICompatibleServer : IAsyncDisposable
{
    public const int Dimensions = 8;

    private readonly WebApplication _app;

    private OpenAICompatibleServer(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, string? Model, string? Authorization, int Inputs)> Requests { get; } = new();

    /// <summary>The top-level fields of each embeddings request body.</summary>
    public ConcurrentQueue<string[]> EmbeddingFields { get; } = new();

    public string ChatAnswer { get; set; } = "hello";

    public string BaseUrl { get; private set; } = "";

    public static async Task<OpenAICompatibleServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new OpenAICompatibleServer(app);
        app.MapPost("/v1/embeddings", server.EmbeddingsAsync);
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return server;
    }

    private async Task EmbeddingsAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        var input = body["input"]!;
        var texts = input is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToArray() : [input.GetValue<string>()];
        Requests.Enqueue(("embeddings", body["model"]?.GetValue<string>(), http.Request.Headers.Authorization, texts.Length));
        EmbeddingFields.Enqueue([.. body.AsObject().Select(field => field.Key)]);
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = texts.Select((t, i) =>
        {
            var vector = new float[Dimensions];
            vector[0] = t.Length;
            vector[1] = 1;
            JsonNode embedding = base64 ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())) : new JsonArray([.. vector.Select(v => (JsonNode)v)]);
            return new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding };
        });
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. data]),
            ["model"] = body["model"]?.GetValue<string>(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = texts.Length, ["total_tokens"] = texts.Length },
        });
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        Requests.Enqueue(("chat", body["model"]?.GetValue<string>(), http.Request.Headers.Authorization, ((JsonArray)body["messages"]!).Count));
        await http.Response.WriteAsJsonAsync(JsonSerializer.Deserialize<JsonObject>($$$"""
            {"id":"c1","object":"chat.completion","created":1700000000,"model":"{{{body["model"]}}}",
             "choices":[{"index":0,"message":{"role":"assistant","content":{{{JsonSerializer.Serialize(ChatAnswer)}}}},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}
            """));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;

namespace OrleansMemory.AgentFramework.Tests;

/// <summary>A real <see cref="ChatClientAgent"/> with the providers against an in-process cluster; the model is a
/// recording stand-in (<see cref="RecordingChatClient"/>).</summary>
public sealed class AgentProviderTests(AgentClusterFixture cluster) : IClassFixture<AgentClusterFixture>
{
    private const string Tenant = "acme";

    [Fact]
    public async Task A_fact_remembered_in_one_session_is_in_the_model_input_of_a_later_session_of_a_new_host()
    {
        var user = NewId("user");
        var model = new RecordingChatClient();
        var agent = MemoryAgent(cluster.Services, model);
        var first = (await agent.CreateSessionAsync()).SetOrleansMemoryScope(new OrleansMemoryScope(user, Tenant));
        var reply = await agent.RunAsync("Remember: The user is allergic to peanuts", first);
        Assert.Equal("Noted.", reply.Text);
        var toolResult = model.Inputs.SelectMany(i => i).SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Equal("Remembered.", toolResult.Result?.ToString());
        var stored = await cluster.Cluster.Client.GetGrain<IUserGrain>($"{Tenant}/{user}").ListMemoriesAsync();
        Assert.Equal("The user is allergic to peanuts", Assert.Single(stored.Memories).Text);
        var saved = await agent.SerializeSessionAsync(first);

        // Another host: a new client, container and provider instance; nothing of the first host is kept.
        await cluster.RestartHostAsync();
        var laterModel = new RecordingChatClient();
        var laterAgent = MemoryAgent(cluster.Services, laterModel);
        var restored = await laterAgent.DeserializeSessionAsync(saved);
        Assert.Equal(first.GetOrleansMemoryScope(), restored.GetOrleansMemoryScope());
        Assert.NotNull(restored.GetOrleansMemoryScope()!.ConversationId);

        var later = (await laterAgent.CreateSessionAsync()).SetOrleansMemoryScope(new OrleansMemoryScope(user, Tenant));
        await laterAgent.RunAsync("What should I avoid eating?", later);
        Assert.Equal(2, laterModel.LastInput.Count);
        var memory = laterModel.LastInput[0];
        Assert.True(MemoryContextMessage.IsInjected(memory), "the memory message comes before the request");
        Assert.Equal(ChatRole.User, memory.Role);
        Assert.StartsWith("<memories>", memory.Text, StringComparison.Ordinal);
        Assert.Contains("\"The user is allergic to peanuts\"", memory.Text, StringComparison.Ordinal);
        Assert.Equal("What should I avoid eating?", laterModel.LastInput[^1].Text);

        await laterAgent.RunAsync("And what about dessert?", restored);
        Assert.Contains("allergic to peanuts", Assert.Single(laterModel.LastInput, MemoryContextMessage.IsInjected).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_users_never_see_each_others_memories()
    {
        var (ann, bob) = (NewId("ann"), NewId("bob"));
        var model = new RecordingChatClient();
        var agent = MemoryAgent(cluster.Services, model);
        await agent.RunAsync("Remember: Ann's locker code is 4711", (await agent.CreateSessionAsync()).SetOrleansMemoryScope(new(ann, Tenant)));
        await agent.RunAsync("Remember: Bob plays the trumpet", (await agent.CreateSessionAsync()).SetOrleansMemoryScope(new(bob, Tenant)));

        await agent.RunAsync("Which instrument do I play, and what is my locker code?", (await agent.CreateSessionAsync()).SetOrleansMemoryScope(new(bob, Tenant)));
        var bobsInput = string.Join('\n', model.LastInput.Select(m => m.Text));
        Assert.DoesNotContain("4711", bobsInput, StringComparison.Ordinal);
        Assert.Contains("trumpet", bobsInput, StringComparison.Ordinal);

        await agent.RunAsync("What is the locker code?", (await agent.CreateSessionAsync()).SetOrleansMemoryScope(new(ann, "other-tenant")));
        Assert.DoesNotContain(model.LastInput, MemoryContextMessage.IsInjected);
    }

    [Fact]
    public async Task Injected_memory_messages_do_not_pile_up_in_the_default_in_memory_history()
    {
        var user = NewId("user");
        var model = new RecordingChatClient();
        var agent = MemoryAgent(cluster.Services, model);
        var session = (await agent.CreateSessionAsync()).SetOrleansMemoryScope(new(user, Tenant));
        await agent.RunAsync("Remember: The user's sister is called Maria", session);
        for (var i = 0; i < 3; i++)
        {
            await agent.RunAsync($"Tell me about my sister ({i})", session);
            Assert.Single(model.LastInput, MemoryContextMessage.IsInjected);
        }

        var history = agent.GetService<InMemoryChatHistoryProvider>()!.GetMessages(session);
        Assert.DoesNotContain(history, MemoryContextMessage.IsInjected);
        Assert.Contains(history, m => m.Text == "Tell me about my sister (2)");
        var restored = await agent.DeserializeSessionAsync(await agent.SerializeSessionAsync(session));
        Assert.DoesNotContain(agent.GetService<InMemoryChatHistoryProvider>()!.GetMessages(restored), MemoryContextMessage.IsInjected);
    }

    [Fact]
    public async Task History_survives_a_host_restart_and_is_windowed()
    {
        var user = NewId("user");
        var agent = HistoryAgent(cluster.Services, new RecordingChatClient());
        var session = (await agent.CreateSessionAsync()).SetOrleansMemoryScope(new(user, Tenant, AgentId: "concierge"));
        await agent.RunAsync("My name is Ada", session);
        await agent.RunAsync("I like sailing", session);
        var saved = await agent.SerializeSessionAsync(session);

        await cluster.RestartHostAsync();
        var model = new RecordingChatClient();
        var restarted = HistoryAgent(cluster.Services, model);
        var restored = await restarted.DeserializeSessionAsync(saved);
        await restarted.RunAsync("What's my name?", restored);
        var input = model.LastInput.Where(m => !MemoryContextMessage.IsInjected(m)).Select(m => $"{m.Role}: {m.Text}").ToList();
        Assert.Equal(["user: My name is Ada", "assistant: OK.", "user: I like sailing", "assistant: OK.", "user: What's my name?"], input);

        var stored = await cluster.Services.GetRequiredService<OrleansChatHistoryProvider>().GetMessagesAsync(restored);
        Assert.Equal(6, stored.Count);
        Assert.DoesNotContain(stored, m => m.Text.Contains("<memories>", StringComparison.Ordinal));

        var windowed = new RecordingChatClient();
        var small = new ChatClientAgent(windowed, new ChatClientAgentOptions
        {
            ChatHistoryProvider = new OrleansChatHistoryProvider(cluster.Cluster.Client, new OrleansChatHistoryProviderOptions { MaxMessages = 2 }),
        });
        await small.RunAsync("Anything else?", await small.DeserializeSessionAsync(saved));
        Assert.Equal(["What's my name?", "OK.", "Anything else?"], windowed.LastInput.Select(m => m.Text));

        var conversations = await cluster.Cluster.Client.GetGrain<IAgentGrain>($"{Tenant}/concierge").GetConversationsAsync();
        Assert.Contains(conversations, c => c.ConversationId == restored.GetOrleansMemoryScope()!.ConversationId);
    }

    [Fact]
    public async Task Tool_calls_round_trip_through_the_stored_history()
    {
        var agent = HistoryAgent(cluster.Services, new RecordingChatClient());
        var session = (await agent.CreateSessionAsync()).SetOrleansMemoryScope(new(NewId("user"), Tenant));
        await agent.RunAsync("Remember: The user's bike is red", session);

        var stored = await cluster.Services.GetRequiredService<OrleansChatHistoryProvider>().GetMessagesAsync(session);
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], stored.Select(m => m.Role));
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(stored[1].Contents));
        Assert.Equal("remember", call.Name);
        Assert.Equal(call.CallId, Assert.IsType<FunctionResultContent>(Assert.Single(stored[2].Contents)).CallId);

        var model = new RecordingChatClient();
        var next = HistoryAgent(cluster.Services, model);
        await next.RunAsync("Thanks", session);
        Assert.Contains(model.LastInput, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.CallId == call.CallId));
    }

    [Fact]
    public void The_token_window_keeps_the_newest_messages_within_the_budget()
    {
        List<ChatMessage> messages = [new(ChatRole.User, new string('a', 400)), new(ChatRole.Assistant, new string('b', 40)), new(ChatRole.User, new string('c', 40))];
        Assert.Equal(3, OrleansChatHistoryProvider.Window(messages, null).Count);
        Assert.Equal(["b", "c"], OrleansChatHistoryProvider.Window(messages, 40).Select(m => m.Text[..1]));
        Assert.Equal(["c"], OrleansChatHistoryProvider.Window(messages, 1).Select(m => m.Text[..1]));
    }

    [Fact]
    public async Task A_memory_error_does_not_fail_the_run_unless_asked()
    {
        // A real error from the cluster: this user's memories carry embeddings their caller sent, so a text search
        // (embedded by the silo's model) is refused by the user grain.
        var user = NewId("user");
        await cluster.Cluster.Client.GetGrain<IUserGrain>($"{Tenant}/{user}").AddMemoryAsync("Has a dog", [1f, 0f, 0f]);
        var model = new RecordingChatClient();
        var tolerant = new ChatClientAgent(model, new ChatClientAgentOptions { AIContextProviders = [new OrleansMemoryProvider(cluster.Cluster.Client)] });
        var reply = await tolerant.RunAsync("Do I have pets?", (await tolerant.CreateSessionAsync()).SetOrleansMemoryScope(new(user, Tenant)));
        Assert.Equal("OK.", reply.Text);
        Assert.DoesNotContain(model.LastInput, MemoryContextMessage.IsInjected);

        var strict = new ChatClientAgent(model, new ChatClientAgentOptions
        {
            AIContextProviders = [new OrleansMemoryProvider(cluster.Cluster.Client, new OrleansMemoryProviderOptions { FailOnMemoryErrors = true })],
        });
        var session = (await strict.CreateSessionAsync()).SetOrleansMemoryScope(new(user, Tenant));
        await Assert.ThrowsAsync<MemoryValidationException>(() => strict.RunAsync("Do I have pets?", session));
    }

    [Fact]
    public async Task A_session_without_a_scope_is_refused_with_what_to_do()
    {
        var agent = MemoryAgent(cluster.Services, new RecordingChatClient());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await agent.RunAsync("Hi", await agent.CreateSessionAsync()));
        Assert.Contains("SetOrleansMemoryScope", error.Message, StringComparison.Ordinal);
    }

    private static ChatClientAgent MemoryAgent(IServiceProvider services, IChatClient model) => new(model, new ChatClientAgentOptions
    {
        AIContextProviders = [services.GetRequiredService<OrleansMemoryProvider>()],
    });

    private static ChatClientAgent HistoryAgent(IServiceProvider services, IChatClient model) => new(model, new ChatClientAgentOptions
    {
        AIContextProviders = [services.GetRequiredService<OrleansMemoryProvider>()],
        ChatHistoryProvider = services.GetRequiredService<OrleansChatHistoryProvider>(),
    });

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];
}

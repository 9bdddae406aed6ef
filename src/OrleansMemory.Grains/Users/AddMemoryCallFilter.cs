using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization.Invocation;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Prepares the <see cref="IUserGrain.AddMemoryAsync"/> calls made inside the silo (the HTTP API, MCP, other
/// grains) before they reach the user grain:
/// <list type="bullet">
/// <item>it embeds the text of a text-only add outside the user's turn, so concurrent adds share the model's batch instead
/// of waiting for each other's embedding (the grain is told through <see cref="RequestContext"/> that the vector comes
/// from the silo's generator);</item>
/// <item>adds to a user that has an add from this silo in flight wait for it and then go together, as one
/// <see cref="IUserAddsGrain.AddMemoriesAsync"/> call that stores them with one write per changed record (group commit).
/// An add with nothing in flight goes as it came, without waiting for company.</item>
/// </list>
/// Register it with <c>siloBuilder.AddOutgoingGrainCallFilter&lt;AddMemoryCallFilter&gt;()</c>.</summary>
public sealed class AddMemoryCallFilter(IServiceProvider services) : IOutgoingGrainCallFilter
{
    /// <summary>The <see cref="RequestContext"/> key naming the model (<c>provider/model</c>) that made the call's embedding.</summary>
    internal const string SourceKey = "orleansmemory.embedding-source";

    /// <summary>The most adds one group carries: enough to amortize a page write (a memory page holds up to 64), few enough
    /// that one call stays short when a classifier model is asked about each.</summary>
    private const int MaxGroup = 64;

    private static readonly MethodInfo AddMemory = typeof(IUserGrain).GetMethod(nameof(IUserGrain.AddMemoryAsync))!;
    private static readonly int CancellationArgument = Array.FindIndex(AddMemory.GetParameters(), p => p.ParameterType == typeof(CancellationToken));

    private readonly IEmbeddingGenerator<string, Embedding<float>>? _generator = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>();

    /// <summary>The generator's <c>provider/model</c>, read once: the same for every call.</summary>
    private string? _model;
    private readonly MemoryGrainOptions _options = services.GetRequiredService<IOptions<MemoryGrainOptions>>().Value;
    private readonly IGrainFactory _grains = services.GetRequiredService<IGrainFactory>();

    /// <summary>The adds waiting per user and embedding source; a key is present while an add of it is in flight.</summary>
    private readonly Dictionary<(GrainId User, string? Source), List<QueuedAdd>> _waiting = [];

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod != AddMemory)
        {
            await context.Invoke().ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var cancellationToken = request.GetArgument(CancellationArgument) is CancellationToken token ? token : default;
        var source = await EmbedAsync(request, cancellationToken).ConfigureAwait(false);
        var lane = (context.TargetId, source);
        if (Wait(lane, request, cancellationToken) is { } waiting)
        {
            context.Result = await waiting.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            SetSource(source);
            await context.Invoke().ConfigureAwait(false);
        }
        finally
        {
            RequestContext.Remove(SourceKey);
            SendWaiting(lane);
        }
    }

    /// <summary>Embeds a text-only add's text with the silo's generator; returns the generator's model, or null when the
    /// call goes as it came (its caller's vector, no generator, or a text the grain will refuse: not worth embedding).</summary>
    private async Task<string?> EmbedAsync(IInvokable request, CancellationToken cancellationToken)
    {
        if (_generator is null || request.GetArgument(1) is not null
            || request.GetArgument(0) is not string { Length: > 0 } text || string.IsNullOrWhiteSpace(text) || text.Length > _options.MaxMemoryTextLength)
        {
            return null;
        }

        var vector = await _generator.GenerateVectorAsync(text, cancellationToken: cancellationToken).ConfigureAwait(false);
        request.SetArgument(1, vector.ToArray());
        return _model ??= UserGrain.ModelOf(_generator);
    }

    /// <summary>Queues the add when another of its lane is in flight (the task of its result); otherwise marks the lane
    /// busy and returns null: the caller sends it.</summary>
    private Task<AddMemoryResult>? Wait((GrainId, string?) lane, IInvokable request, CancellationToken cancellationToken)
    {
        lock (_waiting)
        {
            if (!_waiting.TryGetValue(lane, out var queue))
            {
                _waiting[lane] = [];
                return null;
            }

            var add = new QueuedAdd(new AddMemoryCall((string)request.GetArgument(0)!, (float[]?)request.GetArgument(1), (string)request.GetArgument(2)!,
                (double)request.GetArgument(3)!, (IReadOnlyDictionary<string, System.Text.Json.JsonElement>?)request.GetArgument(4), (string?)request.GetArgument(5)),
                cancellationToken);
            queue.Add(add);
            return add.Completion.Task;
        }
    }

    /// <summary>After an add of <paramref name="lane"/> is answered: sends what waited meanwhile as one group, or frees the lane.</summary>
    private void SendWaiting((GrainId User, string? Source) lane)
    {
        List<QueuedAdd> group;
        lock (_waiting)
        {
            var queue = _waiting[lane];
            queue.RemoveAll(add => add.CancellationToken.IsCancellationRequested && add.Completion.TrySetCanceled(add.CancellationToken));
            if (queue.Count == 0)
            {
                _waiting.Remove(lane);
                return;
            }

            group = queue.GetRange(0, Math.Min(queue.Count, Math.Min(MaxGroup, _options.MaxItemsPerCall)));
            queue.RemoveRange(0, group.Count);
        }

        _ = Task.Run(() => SendAsync(lane, group)); // off the caller's context: the group is nobody's call chain
    }

    private async Task SendAsync((GrainId User, string? Source) lane, List<QueuedAdd> group)
    {
        try
        {
            System.Diagnostics.Activity.Current = null; // not a child of the call whose answer started it
            RequestContext.Clear();
            SetSource(lane.Source);
            var attempts = await _grains.GetGrain<IUserAddsGrain>(lane.User).AddMemoriesAsync([.. group.Select(add => add.Call)]).ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
            {
                _ = attempts[i].Error is { } error ? group[i].Completion.TrySetException(error) : group[i].Completion.TrySetResult(attempts[i].Result!);
            }
        }
        catch (Exception e)
        {
            foreach (var add in group)
            {
                add.Completion.TrySetException(e); // the group's outcome is unknown, as a single call's would be
            }
        }
        finally
        {
            RequestContext.Clear();
            SendWaiting(lane);
        }
    }

    private static void SetSource(string? source)
    {
        if (source is not null)
        {
            RequestContext.Set(SourceKey, source);
        }
    }

    private sealed record QueuedAdd(AddMemoryCall Call, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<AddMemoryResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

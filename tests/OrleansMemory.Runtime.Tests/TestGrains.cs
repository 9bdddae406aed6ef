namespace OrleansMemory.Runtime.Tests;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();

    Task<string> GetInstanceIdAsync();

    Task<bool> WasActivatedBeforeFirstCallAsync();

    Task DeactivateAsync();
}

public sealed class CounterState
{
    public int Value { get; set; }
}

public sealed class CounterGrain(Recorder recorder, [PersistentState("counter", "store")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private bool _activated;
    private int _plainField;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        recorder.OnConstructed(this.GetPrimaryKeyString());
        _activated = true;
        recorder.Record($"activate:{this.GetPrimaryKeyString()}:{state.State.Value}");
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await state.WriteStateAsync(cancellationToken);
        recorder.Record($"deactivate:{this.GetPrimaryKeyString()}:{reason.ReasonCode}");
    }

    public async Task<int> IncrementAsync()
    {
        recorder.EnterTurn();
        try
        {
            var read = _plainField;
            await Task.Yield();
            _plainField = read + 1;
            state.State.Value = _plainField;
            return _plainField;
        }
        finally
        {
            recorder.ExitTurn();
        }
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);

    public Task<string> GetInstanceIdAsync() => Task.FromResult(_instanceId);

    public Task<bool> WasActivatedBeforeFirstCallAsync() => Task.FromResult(_activated);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>Waits until <see cref="OpenAsync"/> is called.</summary>
    Task<string> WaitAsync();

    Task OpenAsync();

    [ReadOnly]
    Task<int> ReadWaitingAsync(int expected);

    [AlwaysInterleave]
    Task OpenInterleavedAsync();
}

/// <summary>Non-reentrant: <see cref="WaitAsync"/> blocks the grain until opened by an interleaving call.</summary>
public sealed class GateGrain : Grain, IGateGrain
{
    private TaskCompletionSource<string> _gate = new();
    private int _readers;
    private TaskCompletionSource _allReaders = new();

    /// <summary>Grains whose key starts with "slow" take a while to activate, so calls queue up during activation.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        this.GetPrimaryKeyString().StartsWith("slow", StringComparison.Ordinal) ? Task.Delay(300, cancellationToken) : Task.CompletedTask;

    public Task<string> WaitAsync() => _gate.Task;

    public Task OpenAsync()
    {
        _gate.TrySetResult("opened");
        return Task.CompletedTask;
    }

    public async Task<int> ReadWaitingAsync(int expected)
    {
        if (++_readers == expected)
        {
            _allReaders.TrySetResult();
        }

        // Completes only if all readers are inside at once, i.e. read-only calls interleave.
        await _allReaders.Task;
        return _readers;
    }

    public Task OpenInterleavedAsync()
    {
        _gate.TrySetResult("opened-interleaved");
        return Task.CompletedTask;
    }
}

public interface IReentrantGateGrain : IGrainWithStringKey
{
    Task<string> WaitAsync();

    Task OpenAsync();

    Task<int> CountDownViaSelfAsync(int n);
}

[Reentrant]
public sealed class ReentrantGateGrain : Grain, IReentrantGateGrain
{
    private readonly TaskCompletionSource<string> _gate = new();

    public Task<string> WaitAsync() => _gate.Task;

    public Task OpenAsync()
    {
        _gate.TrySetResult("opened");
        return Task.CompletedTask;
    }

    public async Task<int> CountDownViaSelfAsync(int n)
    {
        if (n == 0)
        {
            return 0;
        }

        var self = GrainFactory.GetGrain<IReentrantGateGrain>(this.GetPrimaryKeyString());
        return 1 + await self.CountDownViaSelfAsync(n - 1);
    }
}

public interface IPingGrain : IGrainWithStringKey
{
    /// <summary>Calls the first grain of the path with the rest of the path.</summary>
    Task<string> PingAsync(string[] path);

    Task HangAsync();
}

public sealed class PingGrain : Grain, IPingGrain
{
    public async Task<string> PingAsync(string[] path)
    {
        if (path.Length == 0)
        {
            return this.GetPrimaryKeyString();
        }

        var next = GrainFactory.GetGrain<IPingGrain>(path[0]);
        return this.GetPrimaryKeyString() + ">" + await next.PingAsync(path[1..]);
    }

    public Task HangAsync() => Task.Delay(Timeout.Infinite);
}

public interface IListGrain : IGrainWithGuidKey
{
    Task SetAsync(List<string> items);

    Task<List<string>> GetAsync();

    Task<bool> KeepsSameReferenceAsync(ImmutablePayload payload);

    Task<bool> KeepsSameMutableReferenceAsync(MutablePayload payload);

    Task ThrowAsync(string message);

    Task<long> GetKeyLongAsync();
}

[Immutable]
public sealed record ImmutablePayload(string Text);

public sealed class MutablePayload
{
    public string Text { get; set; } = "";
}

public sealed class ListGrain : Grain, IListGrain
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Seen = [];
    private List<string> _items = [];

    public Task SetAsync(List<string> items)
    {
        _items = items;
        return Task.CompletedTask;
    }

    public Task<List<string>> GetAsync() => Task.FromResult(_items);

    public Task<bool> KeepsSameReferenceAsync(ImmutablePayload payload) => Task.FromResult(Seen.TryGetValue(payload, out _));

    public Task<bool> KeepsSameMutableReferenceAsync(MutablePayload payload) => Task.FromResult(Seen.TryGetValue(payload, out _));

    public Task ThrowAsync(string message) => throw new InvalidOperationException(message);

    public Task<long> GetKeyLongAsync() => Task.FromResult(0L);

    public static void Remember(object value) => Seen.AddOrUpdate(value, value);
}

public interface INumberGrain : IGrainWithIntegerKey
{
    Task<long> GetKeyAsync();
}

public sealed class NumberGrain : Grain, INumberGrain
{
    public Task<long> GetKeyAsync() => Task.FromResult(this.GetPrimaryKeyLong());
}

public interface IMissingStorageGrain : IGrainWithStringKey
{
    Task<int> GetAsync();
}

public sealed class MissingStorageGrain([PersistentState("state", "no-such-provider")] IPersistentState<CounterState> state) : Grain, IMissingStorageGrain
{
    public Task<int> GetAsync() => Task.FromResult(state.State.Value);
}

public interface ITimerGrain : IGrainWithStringKey
{
    Task StartAsync(int periodMs);

    Task<int> GetTicksAsync();

    Task<int> BusyRequestAsync();

    Task StopAsync();
}

public sealed class TimerGrain(Recorder recorder) : Grain, ITimerGrain
{
    private int _ticks;
    private IGrainTimer? _timer;

    public Task StartAsync(int periodMs)
    {
        _timer = RegisterGrainTimer(async ct =>
        {
            recorder.EnterTurn();
            try
            {
                await Task.Delay(2, ct);
                _ticks++;
                recorder.Record("tick");
            }
            finally
            {
                recorder.ExitTurn();
            }
        }, TimeSpan.Zero, TimeSpan.FromMilliseconds(periodMs));
        return Task.CompletedTask;
    }

    public Task<int> GetTicksAsync() => Task.FromResult(_ticks);

    public async Task<int> BusyRequestAsync()
    {
        recorder.EnterTurn();
        try
        {
            await Task.Delay(3);
            return _ticks;
        }
        finally
        {
            recorder.ExitTurn();
        }
    }

    public Task StopAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

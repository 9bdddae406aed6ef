namespace OrleansMemory.Cli.Load;

/// <summary>A workload: operations and their weights.</summary>
/// <param name="Name">chat, memory or search.</param>
/// <param name="Weights">Operation name to relative weight.</param>
public sealed record LoadMix(string Name, IReadOnlyList<(string Operation, int Weight)> Weights)
{
    /// <summary>The mix named <paramref name="name"/>.</summary>
    public static bool TryParse(string name, out LoadMix mix)
    {
        mix = name switch
        {
            "chat" => new LoadMix(name, [("append_message", 50), ("read_messages", 15), ("short_term_add", 15), ("memory_context", 10), ("add_memory", 5), ("search", 5)]),
            "memory" => new LoadMix(name, [("add_memory", 50), ("search", 30), ("list_memories", 10), ("read_context", 10)]),
            "search" => new LoadMix(name, [("add_memory", 10), ("search", 90)]),
            _ => null!,
        };
        return mix is not null;
    }

    /// <summary>Picks an operation for a random number in [0, total weight).</summary>
    public string Pick(int roll)
    {
        foreach (var (operation, weight) in Weights)
        {
            if (roll < weight)
            {
                return operation;
            }

            roll -= weight;
        }

        return Weights[^1].Operation;
    }

    /// <summary>The sum of the weights.</summary>
    public int TotalWeight => Weights.Sum(w => w.Weight);
}

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>A user of the labelled retrieval set: its memories by key and its queries with the expected key.</summary>
internal sealed record QualityUser(string Name, IReadOnlyDictionary<string, string> Memories, IReadOnlyList<(string Query, string Expected)> Queries);

/// <summary>A labelled pair: <c>dup</c>, <c>conflict</c> or <c>related</c>.</summary>
internal sealed record LabelledPair(string Label, string Existing, string Incoming);

/// <summary>The labelled set under Quality/: retrieval.txt, distractors.txt, pairs.txt.</summary>
internal sealed record QualitySet(IReadOnlyList<QualityUser> Users, IReadOnlyList<string> Distractors, IReadOnlyList<LabelledPair> Pairs)
{
    public int MemoryCount => Users.Sum(u => u.Memories.Count) + Distractors.Count;

    public int QueryCount => Users.Sum(u => u.Queries.Count);

    public static QualitySet Load(string directory)
    {
        var users = new List<QualityUser>();
        string? name = null;
        Dictionary<string, string> memories = [];
        List<(string, string)> queries = [];
        foreach (var line in Lines(Path.Combine(directory, "retrieval.txt")))
        {
            if (line.StartsWith("user ", StringComparison.Ordinal))
            {
                Flush();
                name = line[5..].Trim();
                memories = [];
                queries = [];
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = line[2..colon].Trim();
            var text = line[(colon + 1)..].Trim();
            if (line.StartsWith("m ", StringComparison.Ordinal))
            {
                memories.Add(key, text);
            }
            else if (line.StartsWith("q ", StringComparison.Ordinal))
            {
                queries.Add((text, memories.ContainsKey(key) ? key : throw new FormatException($"Query '{text}' of {name} expects unknown memory '{key}'.")));
            }
            else
            {
                throw new FormatException($"Unreadable line: {line}");
            }
        }

        Flush();
        var pairs = Lines(Path.Combine(directory, "pairs.txt")).Select(l =>
        {
            var space = l.IndexOf(' ', StringComparison.Ordinal);
            var parts = l[(space + 1)..].Split("||", StringSplitOptions.TrimEntries);
            return new LabelledPair(l[..space], parts[0], parts[1]);
        }).ToList();
        return new QualitySet(users, [.. Lines(Path.Combine(directory, "distractors.txt"))], pairs);

        void Flush()
        {
            if (name is not null)
            {
                users.Add(new QualityUser(name, memories, queries));
            }
        }
    }

    private static IEnumerable<string> Lines(string path) =>
        File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
}

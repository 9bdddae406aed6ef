using System.Text.Json;

namespace OrleansMemory.Formation.Quality;

/// <summary>The labelled formation quality set (<c>formation-quality.json</c>) and its scoring: a formed memory is right
/// when it matches a fact expected from the message it names (every keyword of the fact in its text, case-insensitively),
/// each fact matching once; precision = right / formed, recall = matched facts / expected facts.</summary>
public sealed class FormationQualitySet
{
    private FormationQualitySet(IReadOnlyList<QualityConversation> conversations) => Conversations = conversations;

    /// <summary>The conversations.</summary>
    public IReadOnlyList<QualityConversation> Conversations { get; }

    /// <summary>Reads the set from <paramref name="path"/>.</summary>
    public static FormationQualitySet Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var conversations = new List<QualityConversation>();
        foreach (var c in document.RootElement.GetProperty("conversations").EnumerateArray())
        {
            var turns = new List<QualityTurn>();
            foreach (var t in c.GetProperty("turns").EnumerateArray())
            {
                var expected = t.TryGetProperty("expect", out var e)
                    ? e.EnumerateArray().Select(f => (IReadOnlyList<string>)[.. f.EnumerateArray().Select(k => k.GetString()!)]).ToList()
                    : [];
                turns.Add(new QualityTurn(t.GetProperty("role").GetString()!, t.GetProperty("content").GetString()!, expected));
            }

            conversations.Add(new QualityConversation(c.GetProperty("id").GetString()!, turns));
        }

        return new FormationQualitySet(conversations);
    }

    /// <summary>Scores the memories formed from one conversation, given as (first source sequence, text), into <paramref name="score"/>.</summary>
    public static void Score(QualityConversation conversation, IEnumerable<(long Sequence, string Text)> formed, QualityScore score)
    {
        var open = conversation.Turns.Select(t => t.Expected.ToList()).ToList();
        score.Expected += conversation.Turns.Sum(t => t.Expected.Count);
        foreach (var (sequence, text) in formed)
        {
            score.Formed++;
            var facts = sequence >= 1 && sequence <= open.Count ? open[(int)sequence - 1] : [];
            var match = facts.FindIndex(f => f.All(k => text.Contains(k, StringComparison.OrdinalIgnoreCase)));
            if (match >= 0)
            {
                facts.RemoveAt(match);
                score.Right++;
            }
            else
            {
                score.Wrong.Add($"{conversation.Id}#{sequence}: {text}");
            }
        }

        score.Missed.AddRange(open.SelectMany((facts, i) => facts.Select(f => $"{conversation.Id}#{i + 1}: {conversation.Turns[i].Content}")));
    }
}

/// <summary>A labelled conversation.</summary>
public sealed record QualityConversation(string Id, IReadOnlyList<QualityTurn> Turns);

/// <summary>A labelled turn: the facts (each as keywords) a careful human would store from it; none for most turns.</summary>
public sealed record QualityTurn(string Role, string Content, IReadOnlyList<IReadOnlyList<string>> Expected);

/// <summary>Precision and recall over the scored conversations.</summary>
public sealed class QualityScore
{
    public int Formed { get; set; }

    public int Right { get; set; }

    public int Expected { get; set; }

    /// <summary>Formed memories that match no expected fact.</summary>
    public List<string> Wrong { get; } = [];

    /// <summary>Expected facts no memory matched.</summary>
    public List<string> Missed { get; } = [];

    public double Precision => Formed == 0 ? 1 : (double)Right / Formed;

    public double Recall => Expected == 0 ? 1 : (double)Right / Expected;

    public override string ToString() =>
        $"precision {Precision:F3} ({Right}/{Formed}), recall {Recall:F3} ({Right}/{Expected})";
}

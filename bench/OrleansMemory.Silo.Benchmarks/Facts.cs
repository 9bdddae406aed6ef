/// <summary>Templated one-sentence facts (made-up names, verb, thing, place), deterministic and distinct: alike enough
/// to be similar to each other, as the facts an agent stores about one user are.</summary>
internal static class Facts
{
    private static readonly string[] Verbs = ["likes", "recommended", "bought", "talked about", "wants to visit", "dislikes", "reviewed", "booked", "painted", "photographed"];

    private static readonly string[] Things =
    [
        "a Thai restaurant", "the science museum", "a blue bicycle", "the jazz festival", "a hiking trail", "an old castle", "a vegan bakery",
        "the night market", "a ceramics class", "a used piano", "a ski resort", "the botanical garden", "a chess club", "a surf school",
        "a vintage camera", "the opera house", "a tea shop", "a cooking course", "the harbour ferry", "a climbing gym",
    ];

    private static readonly string[] Places = ["Lisbon", "Osaka", "Toronto", "Nairobi", "Oslo", "Lima", "Hanoi", "Porto", "Seville", "Krakow", "Denver", "Perth"];

    private static readonly string[] Syllables = ["ka", "mi", "ro", "tu", "le", "sa", "no", "vi", "de", "ba", "zu", "pe", "lo", "ri", "ga", "ne"];

    /// <summary>Fact number <paramref name="i"/>: a made-up person, family name, town and friend (distinct per fact, so
    /// that facts share at most half of their content words), doing one of the templated things.</summary>
    public static string Get(int i)
    {
        var thing = Things[i % Things.Length];
        var verb = Verbs[i / Things.Length % Verbs.Length];
        var place = Places[i / (Things.Length * Verbs.Length) % Places.Length];
        return $"{Word(i, 1)} {Word(i, 7)} from {Word(i, 13)} {verb} {thing} in {place} with {Word(i, 29)}.";
    }

    /// <summary>A made-up capitalised word of four syllables, a different one per <paramref name="i"/> for each salt.</summary>
    private static string Word(int i, int salt)
    {
        var h = (uint)((i + 1) * 2654435761u) ^ (uint)(salt * 40503);
        h *= 2246822519u;
        var word = Syllables[h % 16] + Syllables[(h >> 4) % 16] + Syllables[(h >> 8) % 16] + Syllables[(h >> 12) % 16];
        return char.ToUpperInvariant(word[0]) + word[1..];
    }
}

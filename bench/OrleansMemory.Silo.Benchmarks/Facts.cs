/// <summary>Templated one-sentence facts (person, verb, thing, place), deterministic and distinct: alike enough to be
/// similar to each other, as the facts an agent stores about one user are.</summary>
internal static class Facts
{
    private static readonly string[] People =
    [
        "My sister", "My brother", "My manager", "My neighbour", "My friend Ana", "My cousin", "My dentist", "My son",
        "My daughter", "My father", "My mother", "My colleague Raj", "My landlord", "My coach", "My aunt", "My grandfather",
    ];

    private static readonly string[] Verbs = ["likes", "recommended", "bought", "talked about", "wants to visit", "dislikes", "reviewed", "booked", "painted", "photographed"];

    private static readonly string[] Things =
    [
        "a Thai restaurant", "the science museum", "a blue bicycle", "the jazz festival", "a hiking trail", "an old castle", "a vegan bakery",
        "the night market", "a ceramics class", "a used piano", "a ski resort", "the botanical garden", "a chess club", "a surf school",
        "a vintage camera", "the opera house", "a tea shop", "a cooking course", "the harbour ferry", "a climbing gym",
    ];

    private static readonly string[] Places = ["Lisbon", "Osaka", "Toronto", "Nairobi", "Oslo", "Lima", "Hanoi", "Porto", "Seville", "Krakow", "Denver", "Perth"];

    /// <summary>Fact number <paramref name="i"/> (distinct for i below 38,400).</summary>
    public static string Get(int i)
    {
        var p = i % People.Length;
        var v = i / People.Length % Verbs.Length;
        var t = i / (People.Length * Verbs.Length) % Things.Length;
        var l = i / (People.Length * Verbs.Length * Things.Length) % Places.Length;
        return $"{People[p]} {Verbs[v]} {Things[t]} in {Places[l]}.";
    }
}

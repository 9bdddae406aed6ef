using System.Text.RegularExpressions;

namespace OrleansMemory.Grains;

/// <summary>The default, deterministic and explainable conflict classifier. In order it looks for: a singleton
/// category (location, name, age, job, relationship status) stated with different values; opposite polarity (one
/// statement negated, or like versus dislike); different dates; different numbers; different named values (capitalised
/// words) in otherwise similar statements. The first rule that fires decides, and its explanation says which.</summary>
public sealed partial class RuleBasedMemoryClassifier : IMemoryClassifier
{
    private static readonly HashSet<string> NegationWords =
    [
        "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "can't",
        "cannot", "nobody", "nothing", "neither", "nor", "dont", "doesnt", "didnt", "isnt", "cant", "wont",
        "dislike", "dislikes", "hate", "hates", "detest", "avoid", "avoids",
    ];

    private static readonly HashSet<string> RelationshipStatuses =
        ["single", "married", "divorced", "engaged", "widowed", "separated", "dating", "relationship"];

    private static readonly HashSet<string> TrailingFillers =
        ["now", "currently", "anymore", "these", "days", "since", "today", "again", "too", "also", "and", "with", "for", "because"];

    /// <inheritdoc />
    public ValueTask<ConflictClassification> ClassifyAsync(ConflictCandidate candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return ValueTask.FromResult(Classify(candidate.ExistingText, candidate.NewText));
    }

    /// <summary>Classifies two statements (synchronously; the rules need no I/O).</summary>
    public static ConflictClassification Classify(string existing, string incoming)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(incoming);
        foreach (var (category, patterns) in SingletonPatterns)
        {
            var a = Extract(existing, patterns);
            var b = Extract(incoming, patterns);
            if (a is not null && b is not null)
            {
                return string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
                    ? ConflictClassification.None($"Both state the same {Describe(category)}: '{a}'.")
                    : new ConflictClassification(true, category, true,
                        $"Both state the user's {Describe(category)}, which has one value at a time: '{a}' versus '{b}'.",
                        $"Earlier you said \"{existing}\", and now \"{incoming}\". Which is true now: {a} or {b}?");
            }
        }

        var statusA = Statuses(existing);
        var statusB = Statuses(incoming);
        if (statusA.Count > 0 && statusB.Count > 0 && !statusA.SetEquals(statusB))
        {
            return new ConflictClassification(true, "relationship_status", true,
                $"Both state a relationship status, which has one value at a time: '{string.Join("/", statusA)}' versus '{string.Join("/", statusB)}'.",
                $"Earlier you said \"{existing}\", and now \"{incoming}\". What is your relationship status now?");
        }

        var wordsA = Words(existing);
        var wordsB = Words(incoming);
        if (Polarity(wordsA) != Polarity(wordsB))
        {
            return new ConflictClassification(true, "negation", false,
                "One statement negates (or reverses the sentiment of) the other.",
                $"Earlier you said \"{existing}\", and now \"{incoming}\". Which one is right?");
        }

        var datesA = Values(DatePattern(), existing);
        var datesB = Values(DatePattern(), incoming);
        if (datesA.Count > 0 && datesB.Count > 0 && !datesA.SetEquals(datesB))
        {
            return new ConflictClassification(true, "date", false,
                $"The statements give different dates: {string.Join(", ", datesA)} versus {string.Join(", ", datesB)}.",
                $"Earlier you said \"{existing}\", and now \"{incoming}\". Which date is correct?");
        }

        var numbersA = Values(NumberPattern(), DatePattern().Replace(existing, " "));
        var numbersB = Values(NumberPattern(), DatePattern().Replace(incoming, " "));
        if (numbersA.Count > 0 && numbersB.Count > 0 && !numbersA.SetEquals(numbersB))
        {
            return new ConflictClassification(true, "number", false,
                $"The statements give different numbers: {string.Join(", ", numbersA)} versus {string.Join(", ", numbersB)}.",
                $"Earlier you said \"{existing}\", and now \"{incoming}\". Which number is correct?");
        }

        var namesA = Names(existing);
        var namesB = Names(incoming);
        if (namesA.Count > 0 && namesB.Count > 0 && !namesA.Overlaps(namesB) && Overlap(wordsA, wordsB, namesA, namesB) >= 0.5)
        {
            return new ConflictClassification(true, "named_value", false,
                $"The statements say the same about different named values: {string.Join(", ", namesA)} versus {string.Join(", ", namesB)}.",
                $"Earlier you said \"{existing}\", and now \"{incoming}\". Which is right: {string.Join(", ", namesA)} or {string.Join(", ", namesB)}?");
        }

        return ConflictClassification.None("No negation, different number, date, named value or singleton value found.");
    }

    private static readonly (string Category, Regex[] Patterns)[] SingletonPatterns =
    [
        ("location", [LocationPattern()]),
        ("name", [NamePattern()]),
        ("age", [AgePattern(), AgeShortPattern()]),
        ("job", [EmployerPattern(), JobPattern()]),
    ];

    private static string Describe(string category) => category switch
    {
        "job" => "job or employer",
        "relationship_status" => "relationship status",
        _ => category,
    };

    private static string? Extract(string text, Regex[] patterns)
    {
        foreach (var pattern in patterns)
        {
            var match = pattern.Match(text);
            if (!match.Success || AboutSomeoneElse(text[..match.Index]))
            {
                continue;
            }

            var words = match.Groups["v"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            while (words.Count > 1 && TrailingFillers.Contains(words[^1].ToLowerInvariant()))
            {
                words.RemoveAt(words.Count - 1);
            }

            // Keep the first word and any capitalised words that follow it ("New York"), not the rest of the sentence.
            var kept = new List<string> { words[0] };
            kept.AddRange(words.Skip(1).TakeWhile(w => char.IsUpper(w[0])));
            return string.Join(' ', kept).Trim('\'', '-');
        }

        return null;
    }

    /// <summary>Whether the last subject before a singleton statement is someone else ("My cousin ... moved to Canada",
    /// "My wife works at ...", "... who lives in ..."), so that it says nothing about the user's own value. A later first
    /// person wins ("After my wedding I moved to Rome").</summary>
    private static bool AboutSomeoneElse(string before)
    {
        var clause = SentencePattern().Split(before)[^1];
        var other = ThirdPartyPattern().Matches(clause).LastOrDefault();
        var self = FirstPersonPattern().Matches(clause).LastOrDefault();
        return other is not null && (self is null || self.Index < other.Index);
    }

    private static HashSet<string> Statuses(string text)
    {
        if (!SelfPattern().IsMatch(text))
        {
            return [];
        }

        return [.. Words(text).Where(RelationshipStatuses.Contains)];
    }

    private static List<string> Words(string text) => [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value)];

    private static int Polarity(List<string> words) =>
        words.Count(NegationWords.Contains) % 2;

    private static HashSet<string> Values(Regex pattern, string text) =>
        new(pattern.Matches(text).Select(m => m.Value.Trim().ToLowerInvariant()), StringComparer.Ordinal);

    private static HashSet<string> Names(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sentence in SentencePattern().Split(text))
        {
            var words = WordPattern().Matches(sentence).Select(m => m.Value).ToList();
            for (var i = 1; i < words.Count; i++)
            {
                if (char.IsUpper(words[i][0]) && words[i] != "I" && !words[i].StartsWith("I'", StringComparison.Ordinal))
                {
                    names.Add(words[i]);
                }
            }
        }

        return names;
    }

    private static double Overlap(List<string> a, List<string> b, HashSet<string> namesA, HashSet<string> namesB)
    {
        var restA = a.Where(w => !namesA.Contains(w, StringComparer.OrdinalIgnoreCase)).ToHashSet();
        var restB = b.Where(w => !namesB.Contains(w, StringComparer.OrdinalIgnoreCase)).ToHashSet();
        var union = restA.Union(restB).Count();
        return union == 0 ? 1 : (double)restA.Intersect(restB).Count() / union;
    }

    [GeneratedRegex(@"\b(?:live|lives|living|reside|resides|residing|based|moved|relocated|stay|staying)\s+(?:in|to|at)\s+(?:the\s+)?(?<v>[\p{L}'-]+(?:\s+[\p{L}'-]+){0,3})", RegexOptions.IgnoreCase)]
    private static partial Regex LocationPattern();

    [GeneratedRegex(@"\b(?:my name is|call me|i am called|i'm called|my name's)\s+(?<v>[\p{L}'-]+(?:\s+[\p{L}'-]+){0,2})", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"(?<v>\d{1,3})\s+years?\s+old|\bmy age is\s+(?<v>\d{1,3})", RegexOptions.IgnoreCase)]
    private static partial Regex AgePattern();

    [GeneratedRegex(@"\b(?:i am|i'm|im)\s+(?<v>\d{1,3})\b(?!\s*(?:%|percent|kg|km|cm|m\b))", RegexOptions.IgnoreCase)]
    private static partial Regex AgeShortPattern();

    [GeneratedRegex(@"\b(?:work|works|working|worked|employed)\s+(?:at|for|by)\s+(?<v>[\p{L}\p{N}&'-]+(?:\s+[\p{L}\p{N}&'-]+){0,3})", RegexOptions.IgnoreCase)]
    private static partial Regex EmployerPattern();

    [GeneratedRegex(@"\b(?:i work as|my job is|my profession is|i am employed as|my occupation is)\s+(?:an?\s+)?(?<v>[\p{L}'-]+(?:\s+[\p{L}'-]+){0,2})", RegexOptions.IgnoreCase)]
    private static partial Regex JobPattern();

    [GeneratedRegex(@"\b(?:i am|i'm|im|i got|we are|we're|i was)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SelfPattern();

    [GeneratedRegex(@"\b(?:my|his|her|their|your)\s+(?!name\b|job\b|profession\b|occupation\b|age\b)[\p{L}'-]+|\b(?:he|she|they|who|whose)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ThirdPartyPattern();

    [GeneratedRegex(@"\b(?:i|i'm|im|i've|i'd|we|we're|we've)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FirstPersonPattern();

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\d+(?:[.,]\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+\d{4})?\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\b(?:19|20)\d{2}\b", RegexOptions.IgnoreCase)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"[.!?;]\s+")]
    private static partial Regex SentencePattern();
}

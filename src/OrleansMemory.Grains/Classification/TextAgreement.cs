namespace OrleansMemory.Grains;

/// <summary>Whether two memory texts say the same thing in words, the evidence a duplicate needs besides a close vector:
/// an embedding model can score unrelated sentences of the same shape 0.9 and more (and a caller's vectors can be
/// anything), so a vector score alone never merges two memories. Texts agree when at least half of the content words
/// of the shorter one appear in the other, compared by a five-letter stem so that "peanuts" meets "peanut" and
/// "allergic" meets "allergy".</summary>
public static class TextAgreement
{
    private const int StemLength = 5;
    private const double MinSharedFraction = 0.5;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is", "am",
        "are", "was", "were", "be", "been", "being", "i", "me", "my", "mine", "we", "our", "you", "your", "he", "she", "it",
        "his", "her", "its", "they", "them", "their", "this", "that", "these", "those", "have", "has", "had", "do", "does",
        "did", "so", "very", "really", "just", "also", "too", "here", "there", "im", "ive", "id", "s", "t", "m", "re", "ve",
        "d", "ll", "will", "would", "can", "could", "should", "about", "into", "than", "then", "now", "some", "any",
    };

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> share enough content words to be one memory.</summary>
    public static bool Agree(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var wordsA = ContentStems(a);
        var wordsB = ContentStems(b);
        if (wordsA.Count == 0 || wordsB.Count == 0)
        {
            return string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
        }

        var (smaller, larger) = wordsA.Count <= wordsB.Count ? (wordsA, wordsB) : (wordsB, wordsA);
        var shared = smaller.Count(larger.Contains);
        return shared >= MinSharedFraction * smaller.Count;
    }

    private static HashSet<string> ContentStems(string text)
    {
        var stems = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = text[start..i].ToLowerInvariant();
                if (!StopWords.Contains(word))
                {
                    stems.Add(word.Length > StemLength ? word[..StemLength] : word);
                }

                start = -1;
            }
        }

        return stems;
    }
}

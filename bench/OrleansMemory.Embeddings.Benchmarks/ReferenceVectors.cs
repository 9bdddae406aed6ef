using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>Writes the reference vectors of tests/OrleansMemory.Embeddings.Tests/Reference: the model run on the token
/// ids of reference-tokens.json (computed by bert_reference.py, the BertTokenizer rules in Python), one text per run,
/// without going through our tokenizer. The test then checks that text in, through our tokenizer, gives these vectors.</summary>
internal static class ReferenceVectors
{
    public static void Write(string tokensPath, string outputPath, TextWriter output)
    {
        var cases = JsonNode.Parse(File.ReadAllText(tokensPath))!["cases"]!.AsArray();
        var vectors = new JsonArray();
        foreach (var item in cases)
        {
            var ids = item!["ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();
            var vector = MiniLmModel.Encoder.EncodeIds([ids])[0];
            vectors.Add(new JsonObject
            {
                ["text"] = item["text"]!.GetValue<string>(),
                ["vector"] = new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]),
            });
        }

        var document = new JsonObject
        {
            ["generator"] = "bench/OrleansMemory.Embeddings.Benchmarks reference-vectors (the ONNX model on the ids of reference-tokens.json)",
            ["model"] = MiniLmModel.ModelId,
            ["cases"] = vectors,
        };
        File.WriteAllText(outputPath, document.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        output.WriteLine($"Wrote {vectors.Count} reference vectors to {outputPath}.");
    }
}

using OrleansMemory.Formation.Quality;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>The rules extractor on the labelled quality set, through the HTTP API: turn formation on, append every turn,
/// read the conversation's formation records. Precision must be at least 0.9; recall is reported.</summary>
[Collection(SiloCollection.Name)]
public sealed class FormationQualityTests(SiloFactory silo, ITestOutputHelper output)
{
    [Fact]
    public async Task The_rules_extractor_is_precise_on_the_labelled_set()
    {
        var set = FormationQualitySet.Load(Path.Combine(AppContext.BaseDirectory, "Formation", "formation-quality.json"));
        Assert.True(set.Conversations.Count >= 60 && set.Conversations.Sum(c => c.Turns.Count) >= 400, "the set is smaller than promised");
        var client = silo.Client();
        var run = Http.NewId("q");
        var score = new QualityScore();
        await Parallel.ForEachAsync(set.Conversations, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (conversation, _) =>
        {
            var id = $"{run}-{conversation.Id}";
            await client.PutAsync($"/v1/conversations/{id}/formation", Http.Body($$"""{"user_id":"{{id}}"}""")).Expect(200);
            await client.PostJson($"/v1/conversations/{id}/messages",
                new { messages = conversation.Turns.Select(t => new { role = t.Role, content = t.Content }) }).Expect(201);
        });

        foreach (var conversation in set.Conversations)
        {
            var id = $"{run}-{conversation.Id}";
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await client.GetAsync($"/v1/conversations/{id}/formation").Expect(200)).GetProperty("pending").GetInt64() > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{conversation.Id} did not drain");
                await Task.Delay(50);
            }

            var records = await client.GetAsync($"/v1/conversations/{id}/memory-records").Expect(200);
            FormationQualitySet.Score(conversation,
                records.EnumerateArray().Select(r => (r.GetProperty("source_start_sequence").GetInt64(), r.GetProperty("content").GetString()!)), score);
        }

        output.WriteLine($"rules extractor: {score}");
        score.Wrong.ForEach(w => output.WriteLine("wrong: " + w));
        score.Missed.ForEach(m => output.WriteLine("missed: " + m));
        Assert.True(score.Precision >= 0.9, $"rules extractor {score}; wrong: {string.Join(" | ", score.Wrong)}");
        Assert.True(score.Recall > 0.5, $"rules extractor {score}"); // a floor, so a change that stores nothing fails
    }
}

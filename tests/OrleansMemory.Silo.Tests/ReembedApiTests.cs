using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Silo.Tests;

/// <summary>GET /v1/users/{id}/embedding-pipeline and POST /v1/users/{id}/reembed with the silo's local model.</summary>
[Collection(SiloCollection.Name)]
public sealed class ReembedApiTests(SiloFactory silo)
{
    [Fact]
    public async Task A_user_of_the_local_model_records_its_pipeline_and_re_embeds_on_request()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var added = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"José moved to Zürich last spring"}""")).Expect(201);
        var id = added.GetProperty("memory").GetProperty("id").GetString();
        var before = await client.GetAsync($"/v1/users/{user}/memories/{id}/embedding").Expect(200);

        var status = await client.GetAsync($"/v1/users/{user}/embedding-pipeline").Expect(200);
        Assert.Equal(MiniLmModel.PipelineId, status.GetProperty("recorded").GetString());
        Assert.Equal(MiniLmModel.PipelineId, status.GetProperty("current").GetString());
        Assert.False(status.GetProperty("reembed_needed").GetBoolean());

        var nothing = await client.PostAsync($"/v1/users/{user}/reembed", null).Expect(200);
        Assert.Equal(0, nothing.GetProperty("reembedded").GetInt32());
        var forced = await client.PostAsync($"/v1/users/{user}/reembed", Http.Body("""{"force":true}""")).Expect(200);
        Assert.Equal((1, 0, MiniLmModel.PipelineId), (forced.GetProperty("reembedded").GetInt32(), forced.GetProperty("remaining").GetInt32(), forced.GetProperty("pipeline").GetString()));
        var after = await client.GetAsync($"/v1/users/{user}/memories/{id}/embedding").Expect(200);
        Assert.Equal(before.GetRawText(), after.GetRawText()); // the same pipeline makes the same vector
    }

    [Fact]
    public async Task Caller_embeddings_are_not_re_embedded()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"Has a dog","embedding":[1,0,0]}""")).Expect(201);
        var status = await client.GetAsync($"/v1/users/{user}/embedding-pipeline").Expect(200);
        Assert.Equal("caller", status.GetProperty("recorded").GetString());
        var refused = await client.PostAsync($"/v1/users/{user}/reembed", Http.Body("""{"force":true}""")).ExpectProblem(400);
        Assert.Contains("holds embeddings its callers sent", refused, StringComparison.Ordinal);
    }
}

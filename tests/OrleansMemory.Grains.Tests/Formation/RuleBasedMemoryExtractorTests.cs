namespace OrleansMemory.Grains.Tests;

/// <summary>The rules extractor keeps the user's plain statements about themselves and nothing else.</summary>
public sealed class RuleBasedMemoryExtractorTests
{
    [Theory]
    [InlineData("btw I'm allergic to peanuts", "I'm allergic to peanuts.", "fact")]
    [InlineData("I live in Lisbon with my partner.", "I live in Lisbon with my partner.", "fact")]
    [InlineData("I'm a nurse", "I'm a nurse.", "fact")]
    [InlineData("Oh, I really love hiking in the mountains!", "I really love hiking in the mountains.", "preference")]
    [InlineData("My favorite band is Radiohead", "My favorite band is Radiohead.", "preference")]
    [InlineData("I'm flying to Tokyo next month", "I'm flying to Tokyo next month.", "event")]
    [InlineData("My sister lives in Boston", "My sister lives in Boston.", "fact")]
    [InlineData("I have two kids", "I have two kids.", "fact")]
    [InlineData("I'm getting married in June", "I'm getting married in June.", "event")]
    [InlineData("I don't eat meat", "I don't eat meat.", "preference")]
    public void Keeps_statements_about_the_user(string message, string expected, string type)
    {
        var found = RuleBasedMemoryExtractor.Extract(message).ToList();
        Assert.Equal([(expected, type)], found);
    }

    [Theory]
    [InlineData("Hi there!")]
    [InlineData("What's the capital of France?")]
    [InlineData("can you help me plan a trip")]
    [InlineData("If I were rich I'd buy a boat.")]
    [InlineData("Maybe I'll move to Berlin someday.")]
    [InlineData("I think I'm allergic to cats, not sure.")]
    [InlineData("I like that one.")]
    [InlineData("I love your answer")]
    [InlineData("Thanks, that's great")]
    [InlineData("I have a question about taxes")]
    [InlineData("Write a story where I'm a pirate.")]
    [InlineData("I'm going to bed now")]
    [InlineData("ok")]
    [InlineData("I'm a bit tired today")]
    public void Skips_what_is_not_a_statement_about_the_user(string message) =>
        Assert.Empty(RuleBasedMemoryExtractor.Extract(message));

    [Fact]
    public async Task Extracts_only_from_user_messages_one_memory_per_sentence_with_its_sequence()
    {
        var extractor = new RuleBasedMemoryExtractor();
        var result = await extractor.ExtractAsync(new ExtractionRequest(
            [
                new Abstractions.RawMessage("a", "user", "Hello! I'm vegetarian. I work as a teacher.", Sequence: 7),
                new Abstractions.RawMessage("b", "assistant", "I love helping you. I live in the cloud.", Sequence: 8),
            ], [], null));
        Assert.Equal(["I'm vegetarian.", "I work as a teacher."], result.Memories.Select(m => m.Text));
        Assert.All(result.Memories, m => Assert.Equal([7L], m.Sequences));
        Assert.Equal(0, result.Tokens);
    }
}

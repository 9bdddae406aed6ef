namespace OrleansMemory.Grains.Tests;

public sealed class ClassifierTests
{
    [Theory]
    [InlineData("I live in London", "I live in Paris", "location", true)]
    [InlineData("I moved to New York last year", "I live in Berlin", "location", true)]
    [InlineData("My name is Ada", "Call me Grace", "name", true)]
    [InlineData("I am 30 years old", "I'm 31", "age", true)]
    [InlineData("I work at Contoso", "I work for Fabrikam", "job", true)]
    [InlineData("After my wedding I moved to Rome", "I live in Milan", "location", true)]
    [InlineData("I am single", "I'm married", "relationship_status", true)]
    [InlineData("I like jazz", "I don't like jazz", "negation", false)]
    [InlineData("I love spicy food", "I hate spicy food", "negation", false)]
    [InlineData("My flight is on March 3", "My flight is on March 5", "date", false)]
    [InlineData("I run 5 km every day", "I run 10 km every day", "number", false)]
    [InlineData("My favourite band is Queen", "My favourite band is Abba", "named_value", false)]
    public void Contradictions_are_found_with_their_category(string a, string b, string category, bool singleton)
    {
        var verdict = RuleBasedMemoryClassifier.Classify(a, b);
        Assert.True(verdict.IsConflict, verdict.Explanation);
        Assert.Equal((category, singleton), (verdict.Category, verdict.IsSingletonCategory));
        Assert.False(string.IsNullOrWhiteSpace(verdict.ClarificationHint));
    }

    [Theory]
    [InlineData("I live in London", "I live in London now")]
    [InlineData("I like jazz", "I really like jazz music")]
    [InlineData("I don't like jazz", "I never listen to jazz")]
    [InlineData("My favourite band is Queen", "I saw Queen live")]
    [InlineData("My cousin is a truck driver who moved to Canada", "I moved to Montreal three years ago")]
    [InlineData("My parents still live in Beirut", "I live in Montreal")]
    [InlineData("My wife works at Contoso", "I work at Fabrikam")]
    public void Compatible_statements_are_not_conflicts(string a, string b)
    {
        var verdict = RuleBasedMemoryClassifier.Classify(a, b);
        Assert.False(verdict.IsConflict, $"{verdict.Category}: {verdict.Explanation}");
        Assert.Equal("none", verdict.Category);
    }
}

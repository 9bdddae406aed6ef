namespace OrleansMemory.Grains.Tests;

public sealed class TextAgreementTests
{
    [Theory]
    [InlineData("I am allergic to peanuts", "I have a peanut allergy", true)]
    [InlineData("Has a dog named Rex", "Has a dog called Rex", true)]
    [InlineData("Likes green tea", "likes green tea!", true)]
    [InlineData("I have a dog", "I enjoy hiking on weekends", false)]
    [InlineData("I live in Paris", "My sister works in a bakery", false)]
    [InlineData("I", "I", true)]
    [InlineData("I", "me", false)]
    public void Texts_agree_only_when_they_share_content_words(string a, string b, bool agree)
    {
        Assert.Equal(agree, TextAgreement.Agree(a, b));
        Assert.Equal(agree, TextAgreement.Agree(b, a));
    }
}

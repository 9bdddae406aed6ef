using System.Text.RegularExpressions;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>The default extractor (<c>rules</c>): offline and deterministic, precision over recall. It keeps only the
/// user's own plain statements about themselves (facts, preferences, plans, relationships: "btw I'm allergic to
/// peanuts"), one memory per sentence, and skips questions, greetings and small talk, the assistant's words, hypotheticals
/// and conditionals, uncertain statements and anything that points at the conversation itself ("I like that one").</summary>
public sealed partial class RuleBasedMemoryExtractor : IMemoryExtractor
{
    private const int MaxSentenceLength = 200;

    /// <inheritdoc />
    public string Name => FormationSettings.RulesExtractor;

    /// <inheritdoc />
    public ValueTask<ExtractionResult> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = new List<ExtractedMemory>();
        foreach (var message in request.Messages)
        {
            if (message.Role != MessageRoles.User)
            {
                continue;
            }

            foreach (var (text, type) in Extract(message.Content))
            {
                found.Add(new ExtractedMemory(text, type, type == MemoryTypes.Preference ? 0.5 : 0.6, [message.Sequence]));
            }
        }

        return ValueTask.FromResult(new ExtractionResult(found));
    }

    /// <summary>The statements worth remembering in one user message, with their types.</summary>
    public static IEnumerable<(string Text, string Type)> Extract(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match sentence in Sentence().Matches(content.Replace('\u2019', '\'')))
        {
            var raw = sentence.Value.Trim();
            if (raw.Length == 0 || raw.EndsWith('?') || raw.Length > MaxSentenceLength)
            {
                continue;
            }

            var clean = LeadIn().Replace(raw.TrimEnd('.', '!', ';', ' '), "").Trim();
            if (Classify(clean) is { } type && seen.Add(clean))
            {
                yield return (char.ToUpperInvariant(clean[0]) + clean[1..] + ".", type);
            }
        }
    }

    private static string? Classify(string sentence)
    {
        if (sentence.Length < 6 || Skip().IsMatch(sentence) || sentence.Contains('"', StringComparison.Ordinal))
        {
            return null;
        }

        if (Preference().Match(sentence) is { Success: true } p && Concrete(p.Groups["object"].Value))
        {
            return MemoryTypes.Preference;
        }

        if (Plan().IsMatch(sentence))
        {
            return MemoryTypes.Event;
        }

        if (Relationship().IsMatch(sentence) || Fact().Match(sentence) is { Success: true } f && Concrete(f.Groups["object"].Value))
        {
            return MemoryTypes.Fact;
        }

        return null;
    }

    /// <summary>Whether the object of a statement names something rather than pointing at the conversation ("it", "that
    /// one", "the second option") or being filler ("a question", "a bit").</summary>
    private static bool Concrete(string value) => value.Length == 0 || (value.Length > 1 && !Vague().IsMatch(value));

    [GeneratedRegex(@"[^.!?;\n]+[.!?;]*", RegexOptions.CultureInvariant)]
    private static partial Regex Sentence();

    [GeneratedRegex(@"^(?:(?:btw|by the way|oh|also|fyi|well|actually|anyway|so|and|but|ok|okay|yeah|yes|hey|hi|hello|um|hmm|haha|lol|just so you know|for the record|quick note)\b[,!:\-\s]*)+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadIn();

    // Questions without a question mark, hypotheticals and conditionals, uncertainty, speech about the assistant or the
    // conversation, fiction and examples, and "I'd" (would/had).
    [GeneratedRegex(@"^(?:what|how|why|when|where|who|which|can|could|would|should|do|does|did|is|are|will|shall|may|please|tell|let's|lets)\b|\b(?:if|would|wouldn't|might|maybe|perhaps|probably|possibly|suppose|supposing|imagine|wish|could|unless|whether|not sure|don't know|do not know|dunno|i guess|i think|i believe|i wonder|i feel like|kind of|sort of|someday|one day|hypothetically|pretend|let's say|lets say|story|character|fictional|roleplay|example|you|your|yours|i'd|thanks|thank|sorry|joking|kidding|jk)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Skip();

    [GeneratedRegex(@"^i(?: (?:really |absolutely |totally |truly |also |still )?(?:love|like|enjoy|prefer|adore|hate|dislike|detest|can't stand|cannot stand|don't like|do not like|don't eat|do not eat|don't drink|do not drink|never eat|never drink|avoid)|(?: am|'m) (?:into|a (?:huge |big )?fan of|not a fan of|obsessed with|passionate about)) (?<object>.+)$|^my (?:absolute )?favou?rite (?<object>.+) (?:is|are) .+$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Preference();

    [GeneratedRegex(@"^(?:i(?: am|'m) (?:going|flying|traveling|travelling|moving|heading|relocating|planning|planning on|about) to (?!(?:bed|sleep|go|head|grab|check|try|think|ask|take a break|leave|say|be honest)\b).+|i(?: plan| intend| am planning|'m planning) to .+|i(?: will|'ll) be (?:starting|moving|traveling|travelling|visiting|getting|running|taking|attending|flying) .+|i(?: am|'m) (?:getting married|starting|visiting|attending|running|taking|having|hosting|flying)\b.*\b(?:tomorrow|tonight|next|this (?:week|weekend|month|year|summer|winter|spring|fall|friday|saturday|sunday|monday|tuesday|wednesday|thursday)|in (?:january|february|march|april|may|june|july|august|september|october|november|december|\d+ (?:days|weeks|months))|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b.*|(?:next|this) (?:week|weekend|month|year|summer|winter|spring|fall|autumn) i(?: am|'m| will|'ll) .+|i (?:just |recently )?(?:moved to|started (?:a|my|working|at)|graduated|got married|got engaged|got divorced|adopted|bought|quit|retired|switched to|joined|had a baby|became) .+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Plan();

    [GeneratedRegex(@"^(?:my (?:wife|husband|partner|boyfriend|girlfriend|fianc[eé]e?|son|daughter|kids|children|mom|mother|dad|father|parents|brother|sister|best friend|boss|manager|coworker|colleague|roommate|dog|cat|puppy|kitten|grandmother|grandma|grandfather|grandpa|aunt|uncle|cousin|twin|baby)(?:'s name)? (?:is|are|was|lives|live|works|work|likes|loves|has|have|just|recently|studies|goes|turned|turns)\b.+|i(?: am|'m) (?:married to|dating|engaged to|divorced from) .+|i(?: have|'ve got| have got) (?:a|an|two|three|four|five|\d+) (?:wife|husband|partner|boyfriend|girlfriend|sons?|daughters?|kids|children|brothers?|sisters?|dogs?|cats?|siblings|grandchildren|twins|puppy|kitten|rabbit|parrot|horse)\b.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relationship();

    [GeneratedRegex(@"^(?:i(?: am|'m) (?:an? (?!(?:bit|little|lot|tad)\b)|allergic to |intolerant to |lactose intolerant|vegetarian|vegan|pescatarian|diabetic|celiac|married|single|divorced|engaged|pregnant|retired|left-handed|colorblind|originally from |from |based in |(?:\d+) years? old)(?<object>.*)|i(?: live| have lived|'ve lived| work| was born| grew up| studied| study| majored| graduated from| speak| drive| own| play| practice| volunteer| teach| use) (?<object>.+)|i(?: am|'m) (?:studying|learning|training for|working as|working at|working on my|allergic) (?<object>.+)|my (?:name|birthday|job|profession|major|age|hometown|native language|blood type|address|email|phone number) (?:is|was) (?<object>.+))$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Fact();

    [GeneratedRegex(@"^(?:it|this|that|these|those|them|one|ones|the (?:first|second|third|last|other|previous|next|above|latter|former)|the (?:idea|answer|option|suggestion|response|reply|plan|list|version)|a (?:question|problem|issue|idea|doubt|request|quick|few|lot|minute|moment|sec)|doing (?:that|this|it)|when|how)\b|\b(?:option|suggestion|answer|response|reply)\b|\b(?:it|this|that|them)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Vague();
}

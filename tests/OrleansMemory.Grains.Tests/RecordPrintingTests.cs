using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>No record that crosses a grain call prints what a user wrote, a key or an id: Orleans logs whole messages
/// (a dropped response prints its result), so <c>ToString()</c> must carry none of it.</summary>
public sealed class RecordPrintingTests
{
    private const string Marker = "marker-7c1e";

    public static TheoryData<Type> Records()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(SemanticMemory).Assembly.GetTypes()
            .Where(t => t.GetMethod("<Clone>$") is not null && !t.IsAbstract && !t.IsGenericTypeDefinition))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_prints_no_string_it_holds(Type type)
    {
        var record = RuntimeHelpers.GetUninitializedObject(type);
        var text = JsonSerializer.SerializeToElement(Marker);
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
        {
            if (field.FieldType == typeof(string))
            {
                field.SetValue(record, Marker);
            }
            else if (field.FieldType == typeof(JsonElement) || field.FieldType == typeof(JsonElement?))
            {
                field.SetValue(record, text);
            }
        }

        Assert.DoesNotContain(Marker, record.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_add_result_prints_its_outcome_and_not_the_memory_text()
    {
        var memory = new SemanticMemory("id-" + Marker, "I live in " + Marker, MemoryTypes.Fact, 0.5, null,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1);
        var printed = new AddMemoryResult(AddMemoryOutcome.Added, memory, null, null, []).ToString();
        Assert.DoesNotContain(Marker, printed, StringComparison.Ordinal);
        Assert.Contains("Outcome = Added", printed, StringComparison.Ordinal);
    }
}

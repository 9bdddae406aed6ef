using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace OrleansMemory.Silo.Configuration;

/// <summary>Finds configuration keys that name no setting (a misspelt <c>OrleansMemory:Storage:Provder</c>, which the
/// binder would silently ignore). The known keys are read from the options types themselves, by reflection, the way the
/// configuration binder reads them: public properties it can set (or fill, for objects), dictionaries (any key names an
/// entry), lists (keys 0, 1, ...). Nothing here lists a property by name.</summary>
public static class ConfigurationKeyCheck
{
    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    /// <summary>One line per unknown key under <paramref name="section"/>, bound to <paramref name="type"/>: the key and
    /// the nearest known one. <paramref name="sections"/> names children bound to other types than
    /// <paramref name="type"/>'s properties say (e.g. <c>Grains</c>: the grains' options); they win over properties.</summary>
    public static IEnumerable<string> Failures(IConfigurationSection section, Type type, IReadOnlyDictionary<string, Type>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        return Walk(section, ShapeOf(type), sections, []);
    }

    /// <param name="section">The section whose children are checked.</param>
    /// <param name="shape">What it is bound to.</param>
    /// <param name="sections">Children bound to other types (the root only).</param>
    /// <param name="above">The objects above it, nearest last: a name one of them knows is the better suggestion
    /// (<c>Storage:ServiceId</c>: did you mean <c>OrleansMemory:ServiceId</c>?).</param>
    private static IEnumerable<string> Walk(IConfigurationSection section, Shape shape, IReadOnlyDictionary<string, Type>? sections,
        IReadOnlyList<(string Path, IReadOnlyCollection<string> Names)> above)
    {
        var known = shape.Kind == Kind.Object ? shape.Properties.Keys.Concat(sections?.Keys ?? []).ToList() : [];
        IReadOnlyList<(string, IReadOnlyCollection<string>)> below = shape.Kind == Kind.Object ? [.. above, (section.Path, known)] : above;
        foreach (var child in section.GetChildren())
        {
            Type? next;
            switch (shape.Kind)
            {
                case Kind.Value:
                    yield return $"{child.Path} is not a setting: {section.Path} takes a single value.";
                    continue;
                case Kind.Dictionary:
                    next = shape.Element;
                    break;
                case Kind.List:
                    if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        yield return $"{child.Path} is not a setting: {section.Path} is a list (keys 0, 1, 2, ...).";
                        continue;
                    }

                    next = shape.Element;
                    break;
                default:
                    if (sections is not null && sections.TryGetValue(child.Key, out var bound))
                    {
                        next = bound;
                    }
                    else if (!shape.Properties.TryGetValue(child.Key, out next))
                    {
                        var elsewhere = above.LastOrDefault(a => a.Names.Contains(child.Key, StringComparer.OrdinalIgnoreCase));
                        yield return elsewhere.Path is not null
                            ? $"{child.Path} is not a setting; did you mean {elsewhere.Path}:{elsewhere.Names.First(n => n.Equals(child.Key, StringComparison.OrdinalIgnoreCase))}?"
                            : known.Count == 0
                            ? $"{child.Path} is not a setting: {section.Path} has no settings below it."
                            : $"{child.Path} is not a setting; did you mean {section.Path}:{Nearest(child.Key, known)}?";
                        continue;
                    }

                    break;
            }

            foreach (var failure in Walk(child, ShapeOf(next!), null, below))
            {
                yield return failure;
            }
        }
    }

    /// <summary>The known name with the fewest edits from <paramref name="key"/> (case ignored); ties: the shorter, then alphabetical.</summary>
    internal static string Nearest(string key, IEnumerable<string> known) =>
        known.OrderBy(k => Distance(key.ToUpperInvariant(), k.ToUpperInvariant())).ThenBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).First();

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static Shape ShapeOf(Type type) => Shapes.GetOrAdd(type, static t => Shape.Of(t));

    private enum Kind
    {
        Value,
        Dictionary,
        List,
        Object,
    }

    /// <summary>What the binder makes of a type: a value from a string, a dictionary, a list or an object's properties.</summary>
    private sealed record Shape(Kind Kind, Type? Element, IReadOnlyDictionary<string, Type> Properties)
    {
        private static readonly IReadOnlyDictionary<string, Type> None = new Dictionary<string, Type>();

        public static Shape Of(Type type)
        {
            if (IsValue(type))
            {
                return new(Kind.Value, null, None);
            }

            if ((Generic(type, typeof(IDictionary<,>)) ?? Generic(type, typeof(IReadOnlyDictionary<,>))) is { } dictionary)
            {
                return new(Kind.Dictionary, dictionary[1], None);
            }

            if (type.IsArray)
            {
                return new(Kind.List, type.GetElementType(), None);
            }

            if (Generic(type, typeof(IEnumerable<>)) is { } list)
            {
                return new(Kind.List, list[0], None);
            }

            var properties = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.GetIndexParameters().Length == 0 && p.GetMethod?.IsPublic == true && (p.SetMethod?.IsPublic == true || !IsValue(p.PropertyType)))
                {
                    properties[p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name] = p.PropertyType;
                }
            }

            return new(Kind.Object, null, properties);
        }

        private static bool IsValue(Type type)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            return t == typeof(string) || t.IsPrimitive || t.IsEnum || TypeDescriptor.GetConverter(t).CanConvertFrom(typeof(string));
        }

        private static Type[]? Generic(Type type, Type definition) =>
            (type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type
                : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition))?.GetGenericArguments();
    }
}

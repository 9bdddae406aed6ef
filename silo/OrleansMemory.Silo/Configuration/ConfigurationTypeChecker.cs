using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace OrleansMemory.Silo.Configuration;

/// <summary>Finds every configuration value that cannot be converted to its option property's type (the binder
/// stops at the first), so that startup reports all of them, each with its key.</summary>
public static class ConfigurationTypeChecker
{
    /// <summary>One message per value of <paramref name="section"/> that does not convert to <paramref name="type"/>'s property.</summary>
    public static IEnumerable<string> Failures(IConfigurationSection section, Type type)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var child = section.GetSection(property.Name);
            foreach (var failure in CheckValue(child, property.PropertyType))
            {
                yield return failure;
            }
        }
    }

    private static IEnumerable<string> CheckValue(IConfigurationSection section, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (section.Value is { } value)
        {
            if (target == typeof(string) || value.Length == 0 && Nullable.GetUnderlyingType(type) is not null)
            {
                yield break;
            }

            if (target.IsEnum)
            {
                if (!Enum.TryParse(target, value, ignoreCase: true, out _) || int.TryParse(value, CultureInfo.InvariantCulture, out _))
                {
                    yield return $"{section.Path} must be one of {string.Join(", ", Enum.GetNames(target))} (was '{value}').";
                }

                yield break;
            }

            var converter = TypeDescriptor.GetConverter(target);
            if (converter.CanConvertFrom(typeof(string)) && target.IsPrimitive || target == typeof(TimeSpan) || target == typeof(decimal))
            {
                string? error = null;
                try
                {
                    converter.ConvertFromInvariantString(value);
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException || ex.InnerException is FormatException or OverflowException)
                {
                    error = $"{section.Path} must be a {Describe(target)} (was '{value}').";
                }

                if (error is not null)
                {
                    yield return error;
                }
            }

            yield break;
        }

        if (target == typeof(string) || target.IsPrimitive)
        {
            yield break;
        }

        var elementType = target.IsGenericType && target.GetGenericTypeDefinition() is var definition
            && (definition == typeof(List<>) || definition == typeof(Dictionary<,>))
            ? target.GetGenericArguments()[^1]
            : null;
        if (elementType is not null)
        {
            foreach (var item in section.GetChildren())
            {
                foreach (var failure in CheckValue(item, elementType))
                {
                    yield return failure;
                }
            }
        }
        else if (target.IsClass && !typeof(IEnumerable).IsAssignableFrom(target))
        {
            foreach (var failure in Failures(section, target))
            {
                yield return failure;
            }
        }
    }

    private static string Describe(Type type) => type == typeof(bool) ? "boolean (true or false)"
        : type == typeof(TimeSpan) ? "time span (hh:mm:ss)"
        : type == typeof(double) ? "number"
        : "whole number";
}

using System.Globalization;
using System.Text;

namespace OrleansMemory.Silo.Metrics;

/// <summary>Writes collected instruments in the Prometheus text exposition format (version 0.0.4).</summary>
public static class PrometheusFormatter
{
    /// <summary>The response content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Formats every series of <paramref name="instruments"/>, with <paramref name="constantLabels"/> on each.</summary>
    public static string Format(IEnumerable<InstrumentSeries> instruments, IReadOnlyList<KeyValuePair<string, string>> constantLabels)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        var text = new StringBuilder();
        foreach (var instrument in instruments)
        {
            var name = MetricName(instrument);
            var type = instrument.IsHistogram ? "histogram" : instrument.IsMonotonic ? "counter" : "gauge";
            text.Append("# HELP ").Append(name).Append(' ').Append(Escape(instrument.Instrument.Description ?? "", label: false)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var series in instrument.Series)
            {
                var labels = constantLabels.Concat(series.Tags).ToList();
                if (!instrument.IsHistogram)
                {
                    Line(text, name, labels, series.Value);
                    continue;
                }

                var buckets = series.BucketCounts();
                long cumulative = 0;
                for (var i = 0; i < buckets.Length; i++)
                {
                    cumulative += buckets[i];
                    var le = i < MetricsCollector.Buckets.Length ? Number(MetricsCollector.Buckets[i]) : "+Inf";
                    Line(text, name + "_bucket", [.. labels, new("le", le)], cumulative);
                }

                Line(text, name + "_sum", labels, series.Value);
                Line(text, name + "_count", labels, series.Count);
            }
        }

        return text.ToString();
    }

    /// <summary>The Prometheus name of an instrument: dots to underscores, unit suffix, <c>_total</c> for counters.</summary>
    public static string MetricName(InstrumentSeries instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var name = Sanitize(instrument.Instrument.Name);
        var unit = instrument.Instrument.Unit switch
        {
            "ms" => "_milliseconds",
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        if (unit.Length > 0 && !name.EndsWith(unit, StringComparison.Ordinal))
        {
            name += unit;
        }

        return instrument.IsMonotonic ? name + "_total" : name;
    }

    private static void Line(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, double value)
    {
        text.Append(name);
        if (labels.Count > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Count; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(Sanitize(labels[i].Key)).Append("=\"").Append(Escape(labels[i].Value, label: true)).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) => double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    private static string Escape(string value, bool label) =>
        label ? value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
              : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

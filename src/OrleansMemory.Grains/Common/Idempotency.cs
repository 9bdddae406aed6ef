using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>One remembered idempotency key, stored inside the record whose change it guards (so the change and the
/// key are one storage write): the hash of the key (never the key), the hash of the request it guarded, when it was
/// first used, and what a retry answers with.</summary>
/// <param name="Key">SHA-256 of the key, base64url, 22 characters.</param>
/// <param name="Request">SHA-256 of the request, base64url, 22 characters.</param>
/// <param name="At">When the key was first used.</param>
/// <param name="Result">What the retry replays, when the record itself does not tell (an outcome name, an id).</param>
/// <param name="Index">The item's position in a batch the key guarded (imports).</param>
internal sealed record IdempotencyRecord(string Key, string Request, DateTimeOffset At, string? Result = null, int Index = 0);

/// <summary>Idempotency keys in the grains: hashing keys and requests, and the bounded list of keys a record keeps
/// (at most <see cref="MemoryGrainOptions.MaxIdempotencyKeys"/>, dropped after <see cref="MemoryGrainOptions.IdempotencyWindow"/>).</summary>
internal static class Idempotency
{
    /// <summary>The key's hash, or null without a key; an invalid key is a <see cref="MemoryValidationException"/>.</summary>
    public static string? HashKey(string? key)
    {
        if (IdempotencyKeys.Problem(key) is { } problem)
        {
            throw new MemoryValidationException(problem, "idempotencyKey");
        }

        return key is null ? null : Encode(SHA256.HashData(Encoding.ASCII.GetBytes(key)));
    }

    /// <summary>The hash of an id that serves as an idempotency key (a formed memory's derived id), unchecked.</summary>
    public static string HashId(string kind, string id) => Encode(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\0" + id)));

    /// <summary>A fingerprint of a request: every part in order, each tagged with its kind, so that different requests
    /// never share one.</summary>
    public static string Fingerprint(params object?[] parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        foreach (var part in parts)
        {
            switch (part)
            {
                case null:
                    hash.AppendData("n"u8);
                    break;
                case string text:
                    hash.AppendData("s"u8);
                    BinaryPrimitives.WriteInt64LittleEndian(number, text.Length);
                    hash.AppendData(number);
                    hash.AppendData(Encoding.UTF8.GetBytes(text));
                    break;
                case double value:
                    hash.AppendData("d"u8);
                    BinaryPrimitives.WriteDoubleLittleEndian(number, value);
                    hash.AppendData(number);
                    break;
                case long value:
                    hash.AppendData("l"u8);
                    BinaryPrimitives.WriteInt64LittleEndian(number, value);
                    hash.AppendData(number);
                    break;
                case float[] vector:
                    hash.AppendData("v"u8);
                    BinaryPrimitives.WriteInt64LittleEndian(number, vector.Length);
                    hash.AppendData(number);
                    hash.AppendData(MemoryMarshal.AsBytes(vector.AsSpan()));
                    break;
                case JsonElement json:
                    hash.AppendData("j"u8);
                    hash.AppendData(Encoding.UTF8.GetBytes(json.GetRawText()));
                    hash.AppendData("\0"u8);
                    break;
                case IReadOnlyDictionary<string, JsonElement> metadata:
                    hash.AppendData("m"u8);
                    foreach (var (name, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        hash.AppendData(Encoding.UTF8.GetBytes(name));
                        hash.AppendData("\0"u8);
                        hash.AppendData(Encoding.UTF8.GetBytes(value.GetRawText()));
                        hash.AppendData("\0"u8);
                    }

                    break;
                default:
                    throw new ArgumentException($"No fingerprint for a {part.GetType().Name}.", nameof(parts));
            }
        }

        return Encode(hash.GetHashAndReset());
    }

    /// <summary>The record of <paramref name="key"/> in <paramref name="records"/> within the window, or null; the same
    /// key with another request is an <see cref="IdempotencyKeyReusedException"/>.</summary>
    public static IdempotencyRecord? Find(IEnumerable<IdempotencyRecord>? records, string key, string request, DateTimeOffset now, MemoryGrainOptions options)
    {
        var found = records?.FirstOrDefault(r => r.Key == key && now - r.At < options.IdempotencyWindow);
        return found is null || found.Request == request ? found : throw new IdempotencyKeyReusedException();
    }

    /// <summary>For a record that keeps its keys in a list: whether this call is a retry of a write with the same key
    /// (nothing to do, its first outcome stands); otherwise the key is added to <paramref name="keys"/>, to be stored by
    /// the write that follows. Without a key: false.</summary>
    public static bool Replayed(ref List<IdempotencyRecord>? keys, string? idempotencyKey, string request, DateTimeOffset now, MemoryGrainOptions options)
    {
        if (HashKey(idempotencyKey) is not { } key)
        {
            return false;
        }

        if (Find(keys, key, request, now, options) is not null)
        {
            return true;
        }

        keys = Remember(keys, new IdempotencyRecord(key, request, now), options);
        return false;
    }

    /// <summary><paramref name="records"/> without the expired ones, plus <paramref name="record"/>, the oldest dropped
    /// beyond <see cref="MemoryGrainOptions.MaxIdempotencyKeys"/>.</summary>
    public static List<IdempotencyRecord> Remember(List<IdempotencyRecord>? records, IdempotencyRecord record, MemoryGrainOptions options)
    {
        List<IdempotencyRecord> kept = [.. (records ?? []).Where(r => record.At - r.At < options.IdempotencyWindow), record];
        return kept.Count <= options.MaxIdempotencyKeys ? kept : kept[^options.MaxIdempotencyKeys..];
    }

    private static string Encode(byte[] hash) => Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

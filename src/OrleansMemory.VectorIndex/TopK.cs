using System.Buffers;

namespace OrleansMemory.VectorIndex;

/// <summary>The best <c>k</c> (row, score) pairs seen with a score of at least <c>minScore</c>: a min-heap on the
/// score, so the weakest kept pair is the root and a new pair costs O(log k) when it enters. Ties keep the pair seen
/// first. Its arrays are rented from the shared pool, because a search makes two of them and a storm of searches made
/// them a good part of what the process allocated: <see cref="TakeList"/> returns the pairs best first and gives the arrays
/// back, <see cref="Release"/> gives them back without a list; after either, this copy (and any copy of it) is not used
/// again. Arrays never given back (a search that throws) are only garbage.</summary>
internal struct TopK(int k, float minScore)
{
    private readonly int[] _rows = ArrayPool<int>.Shared.Rent(k);
    private readonly float[] _scores = ArrayPool<float>.Shared.Rent(k);
    private int _found;

    /// <summary>Whether a score would enter the list.</summary>
    public readonly bool Beats(float score) => score >= minScore && (_found < k || score > _scores[0]);

    /// <summary>The lowest score that might still enter (<see cref="Beats"/> decides exactly).</summary>
    public readonly float Threshold => _found < k ? minScore : _scores[0];

    /// <summary>How many pairs are kept.</summary>
    public readonly int Found => _found;

    /// <summary>A kept pair, in heap order (not sorted).</summary>
    public readonly (int Row, float Score) this[int i] => (_rows[i], _scores[i]);

    /// <summary>Adds a pair that <see cref="Beats"/> the list.</summary>
    public void Add(int row, float score)
    {
        if (_found < k)
        {
            var at = _found++;
            while (at > 0)
            {
                var parent = (at - 1) >> 1;
                if (!Weaker(score, row, _scores[parent], _rows[parent]))
                {
                    break;
                }

                _scores[at] = _scores[parent];
                _rows[at] = _rows[parent];
                at = parent;
            }

            _scores[at] = score;
            _rows[at] = row;
            return;
        }

        // Replace the weakest (the root) and sift down.
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= k)
            {
                break;
            }

            if (child + 1 < k && Weaker(_scores[child + 1], _rows[child + 1], _scores[child], _rows[child]))
            {
                child++;
            }

            if (!Weaker(_scores[child], _rows[child], score, row))
            {
                break;
            }

            _scores[i] = _scores[child];
            _rows[i] = _rows[child];
            i = child;
        }

        _scores[i] = score;
        _rows[i] = row;
    }

    /// <summary>The kept pairs, best first (equal scores: lower row first); the arrays go back to the pool.</summary>
    public readonly List<(int Row, float Score)> TakeList()
    {
        var result = new List<(int Row, float Score)>(_found);
        for (var i = 0; i < _found; i++)
        {
            result.Add((_rows[i], _scores[i]));
        }

        Release();
        result.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Row.CompareTo(b.Row));
        return result;
    }

    /// <summary>Gives the arrays back to the pool.</summary>
    public readonly void Release()
    {
        ArrayPool<int>.Shared.Return(_rows);
        ArrayPool<float>.Shared.Return(_scores);
    }

    /// <summary>Heap order: a lower score is weaker; among equal scores the later row (higher index) is weaker.</summary>
    private static bool Weaker(float score, int row, float otherScore, int otherRow) => score < otherScore || (score == otherScore && row > otherRow);
}

using System.Text.Json;
using Kuryr.Ovs.Ovsdb;

namespace Kuryr.Ovs.JsonRpc;

/// <summary>
/// Splits the byte stream of an OVSDB connection into JSON values. RFC 7047 frames nothing: the
/// peers write JSON texts back to back (ovsdb-server adds no newline), so a value ends where its
/// top-level object closes. The reader state is carried across reads, so a chunk boundary may fall
/// anywhere (inside a string, an escape, a number or a multi-byte UTF-8 sequence) and every byte is
/// scanned once.
/// </summary>
internal sealed class JsonValueFramer
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 };

    private readonly int _maxValueBytes;
    private byte[] _buffer;
    private int _start;   // first byte of the value being assembled
    private int _scan;    // where the reader resumes
    private int _end;     // end of the received data
    private JsonReaderState _state = new(ReaderOptions);

    public JsonValueFramer(int maxValueBytes, int initialCapacity = 16 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxValueBytes, 2);
        _maxValueBytes = maxValueBytes;
        _buffer = new byte[Math.Min(initialCapacity, maxValueBytes + 1)];
    }

    /// <summary>Bytes received but not yet returned as a value (whitespace included).</summary>
    public int PendingBytes => _end - _start;

    /// <summary>
    /// Room to receive into. Invalidates the memory of the values returned so far.
    /// </summary>
    public Memory<byte> GetReceiveMemory(int sizeHint = 4096)
    {
        if (_start > 0)
        {
            var pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _scan -= _start;
            _end = pending;
            _start = 0;
        }

        if (_buffer.Length - _end < sizeHint)
        {
            var size = Math.Max(_buffer.Length * 2, _end + sizeHint);
            Array.Resize(ref _buffer, size);
        }

        return _buffer.AsMemory(_end);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_end + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "more bytes than the receive memory holds");
        }

        _end += count;
    }

    /// <summary>Copies <paramref name="data"/> in (for tests and callers that do not receive in place).</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetReceiveMemory(data.Length).Span);
        Advance(data.Length);
    }

    /// <summary>
    /// Returns the next complete JSON value, valid until the next <see cref="GetReceiveMemory"/>.
    /// Throws <see cref="OvsdbProtocolException"/> on malformed JSON or a value above the size limit.
    /// </summary>
    public bool TryReadValue(out ReadOnlyMemory<byte> value)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_scan, _end - _scan), isFinalBlock: false, _state);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    var valueEnd = _scan + checked((int)reader.BytesConsumed);
                    value = _buffer.AsMemory(_start, valueEnd - _start);
                    _start = valueEnd;
                    _scan = valueEnd;
                    _state = new JsonReaderState(ReaderOptions);
                    return true;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new OvsdbProtocolException($"the server sent malformed JSON ({ex.Message})", ex);
        }

        _scan += checked((int)reader.BytesConsumed);
        _state = reader.CurrentState;
        if (_end - _start > _maxValueBytes)
        {
            throw new OvsdbProtocolException($"a JSON value from the server exceeds {_maxValueBytes} bytes without ending");
        }

        value = default;
        return false;
    }
}

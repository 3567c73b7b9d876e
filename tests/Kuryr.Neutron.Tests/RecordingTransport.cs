using System.Text;
using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron.Tests;

/// <summary>
/// Fake transport for UNIT tests of request building and response parsing only: records each
/// request and answers with the next scripted response (or throws the scripted exception).
/// </summary>
internal sealed class RecordingTransport : INeutronTransport
{
    private readonly Queue<Func<NeutronRequest, NeutronResponse>> _answers = new();

    public List<NeutronRequest> Requests { get; } = [];

    public RecordingTransport Answer(string json, int status = 200) =>
        Answer(_ => new NeutronResponse(status, Encoding.UTF8.GetBytes(json), "req-test"));

    public RecordingTransport Answer(Func<NeutronRequest, NeutronResponse> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    public RecordingTransport Fail(Exception exception) => Answer(_ => throw exception);

    public Task<NeutronResponse> SendAsync(NeutronRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        if (!_answers.TryDequeue(out var answer))
        {
            throw new InvalidOperationException($"unexpected request {request.Method} {request.Path}");
        }

        return Task.FromResult(answer(request));
    }

    public static string BodyOf(NeutronRequest request) => Encoding.UTF8.GetString(request.Body ?? []);
}

using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Kuryr.LocalCluster.Console;

/// <summary>What the program shows while it works: a spinner per step on a terminal, plain lines otherwise.</summary>
public sealed class ProgressOutput(IAnsiConsole console, bool interactive)
{
    public bool Interactive => interactive;

    public IAnsiConsole Console => console;

    public async Task<T> StepAsync<T>(string title, Func<Action<string>, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var sw = Stopwatch.StartNew();
        T result;
        if (interactive)
        {
            result = await console.Status().StartAsync(title, ctx => body(s => ctx.Status(Markup.Escape(title + ": " + s)))).ConfigureAwait(false);
        }
        else
        {
            console.WriteLine("… " + title);
            result = await body(s => console.WriteLine("    " + s)).ConfigureAwait(false);
        }

        Ok(string.Create(CultureInfo.InvariantCulture, $"{title} ({sw.Elapsed.TotalSeconds:0.0} s)"));
        return result;
    }

    public Task StepAsync(string title, Func<Action<string>, Task> body) =>
        StepAsync(title, async report =>
        {
            await body(report).ConfigureAwait(false);
            return true;
        });

    public void Ok(string line) => Line("green", "✓", line);

    public void Info(string line) => Line("blue", "•", line);

    public void Warn(string line) => Line("yellow", "!", line);

    public void Fail(string line) => Line("red", "✗", line);

    private void Line(string color, string mark, string line)
    {
        if (interactive)
        {
            console.MarkupLine($"[{color}]{mark}[/] {Markup.Escape(line)}");
        }
        else
        {
            console.WriteLine(mark + " " + line);
        }
    }
}

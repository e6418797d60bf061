using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Integrity;
using Dandelion.Publisher.Media;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Tests.Peers;

namespace Dandelion.Publisher.Tests;

/// <summary>
/// <c>POST /integrity/report</c>: a viewer's report of a box that sent other bytes is acted on only
/// when the publisher's own fetch from that box confirms it; bounded and clear about bad input.
/// </summary>
public sealed class IntegrityTests : IAsyncLifetime
{
    private const string File = "/pub/copy.bin";
    private TestEntrance _entrance = null!;
    private TestBox _honest = null!;
    private TestBox _liar = null!;
    private PublisherHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _entrance = await TestEntrance.StartAsync();
        _honest = await TestBox.StartAsync();
        _liar = await TestBox.StartAsync();
        _entrance.Offer(_honest.Ranked(0.9), _liar.Ranked(0.8));
        _publisher = await PublisherHost.StartAsync([_entrance.Url]);
        await Eventually.Until(() => _honest.Sessions > 0 && _liar.Sessions > 0, "sessions to both boxes");
        await _publisher.Publisher.PublishAsync(_publisher.WriteFile("copy.bin", 300_000), TimeSpan.FromMinutes(5), default);
        await Eventually.Until(async () => (await _publisher.Publisher.WaitAsync(File, default)).Holders.Count == 2, "the file on both boxes");
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _liar.DisposeAsync();
        await _honest.DisposeAsync();
        await _entrance.DisposeAsync();
    }

    [Fact]
    public async Task A_lying_report_about_a_good_box_changes_nothing_and_a_confirmed_one_stops_the_box_being_used()
    {
        // Both boxes altered nothing yet: a report about either is found false.
        Assert.Equal(ReportVerdict.Good, (await ReportAsync(_honest)).Verdict);
        Assert.Equal(2, (await HoldersAsync()).Count);

        _liar.Alter(_publisher.Id, File);
        // The remembered verdict stands for a minute; the liar was not checked yet.
        var answer = await ReportAsync(_liar);
        Assert.Equal(new ReportAnswer(_liar.Id, ReportVerdict.Confirmed), answer);

        Assert.Equal([_honest.Id], (await HoldersAsync()).Select(h => h.Box));
        var distrusted = await _publisher.Viewer.GetFromJsonAsync<List<DistrustedBox>>("api/distrusted");
        Assert.Equal([(_liar.Id, File)], distrusted!.Select(d => (d.Box, d.File)));

        // The honest box, reported again (a lie), is still used; new files never go to the liar.
        Assert.Equal(ReportVerdict.Good, (await ReportAsync(_honest)).Verdict);
        await _publisher.Publisher.PublishAsync(_publisher.WriteFile("after.bin", 10_000, seed: 2), TimeSpan.FromMinutes(5), default);
        var after = await _publisher.Publisher.WaitAsync("/pub/after.bin", default);
        Assert.Equal(FileState.Placed, after.State);
        Assert.Equal([_honest.Id], after.Holders.Select(h => h.Box));
        Assert.Null(_liar.FileFor(_publisher.Id, "/pub/after.bin"));
    }

    [Fact]
    public async Task Bad_reports_get_clear_errors_and_change_nothing()
    {
        await Expect(HttpStatusCode.BadRequest, "not json");
        await Expect(HttpStatusCode.BadRequest, """{"path":"pub/copy.bin","url":"x"}""");
        await Expect(HttpStatusCode.BadRequest, """{"path":"/pub/copy.bin"}""");
        await Expect(HttpStatusCode.RequestEntityTooLarge, $$"""{"path":"/pub/copy.bin","url":"{{new string('a', ReportEndpoints.MaxBodyBytes)}}"}""");
        await Expect(HttpStatusCode.NotFound, """{"path":"/pub/never.bin","url":"http://127.0.0.1:1/x"}""");
        // Only a URL the publisher gave out for the file: never one a viewer makes up.
        await Expect(HttpStatusCode.NotFound, """{"path":"/pub/copy.bin","url":"http://127.0.0.1:1/elsewhere"}""");
        Assert.Equal(2, (await HoldersAsync()).Count);
        Assert.Empty((await _publisher.Viewer.GetFromJsonAsync<List<DistrustedBox>>("api/distrusted"))!);

        async Task Expect(HttpStatusCode code, string body)
        {
            using var response = await _publisher.Viewer.PostAsync("integrity/report", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(code, response.StatusCode);
        }
    }

    [Fact]
    public async Task Reports_of_a_copy_are_checked_once_and_the_rest_answered_from_memory()
    {
        // A flood about one good copy: one fetch from the box, every answer "good".
        var before = _honest.HttpRequests;
        for (var i = 0; i < 50; i++)
            Assert.Equal(ReportVerdict.Good, (await ReportAsync(_honest)).Verdict);
        Assert.Equal(1, _honest.HttpRequests - before);
    }

    [Fact]
    public void Checks_are_bounded_at_once_and_per_second_for_all_viewers_together()
    {
        using var gate = new ReportGate(TimeProvider.System);
        for (var i = 0; i < ReportGate.AtOnce; i++)
            Assert.True(gate.TryEnter());
        Assert.False(gate.TryEnter());
        gate.Leave();
        // The burst is spent soon after: at most 2 x PerSecond checks start in one go.
        var started = 1;
        for (var i = 0; i < 100; i++)
        {
            if (gate.TryEnter())
            {
                started++;
                gate.Leave();
            }
        }
        Assert.True(started <= 2 * ReportGate.PerSecond + ReportGate.PerSecond, $"{started} checks started at once");
    }

    private async Task<ReportAnswer> ReportAsync(TestBox box)
    {
        var holder = (await HoldersAsync()).Single(h => h.Box == box.Id);
        using var response = await _publisher.Viewer.PostAsJsonAsync("integrity/report", new { path = File, url = holder.Url });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ReportAnswer>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    private async Task<IReadOnlyList<MediaHolder>> HoldersAsync() =>
        (await _publisher.Viewer.GetFromJsonAsync<MediaHolders>("media" + File + "?json=1"))!.Holders;
}

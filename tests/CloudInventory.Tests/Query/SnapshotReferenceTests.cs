using CloudInventory.Query;

namespace CloudInventory.Tests.Query;

public sealed class SnapshotReferenceTests
{
    private static readonly DateOnly Today = new(2026, 3, 31);

    private static readonly InventoryRun[] Runs =
    [
        Run("20260301T060000Z-aaaaaa"), Run("20260324T060000Z-bbbbbb"), Run("20260324T180000Z-cccccc"), Run("20260331T060000Z-dddddd"),
    ];

    private static InventoryRun Run(string id)
    {
        var date = DateOnly.ParseExact(id[..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return new InventoryRun(id, date, new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), "complete", new Dictionary<string, IReadOnlyList<string>>(), []);
    }

    [Theory]
    [InlineData("now", "20260331T060000Z-dddddd")]
    [InlineData("7d", "20260324T180000Z-cccccc")]
    [InlineData("1w", "20260324T180000Z-cccccc")]
    [InlineData("4w", "20260301T060000Z-aaaaaa")]
    [InlineData("2026-03-24", "20260324T180000Z-cccccc")]
    [InlineData("2026-03-30", "20260324T180000Z-cccccc")]
    [InlineData("20260324T06", "20260324T060000Z-bbbbbb")]
    public void Resolves_to_the_last_run_on_or_before(string text, string expected) =>
        Assert.Equal(expected, SnapshotReference.Parse(text, Today).Resolve(Runs).RunId);

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("7x")]
    public void Rejects_what_is_no_date(string text) =>
        Assert.Throws<InventoryQueryException>(() => SnapshotReference.Parse(text, Today));

    [Fact]
    public void Rejects_unknown_and_ambiguous_run_ids()
    {
        Assert.Contains("no run", Assert.Throws<InventoryQueryException>(() => SnapshotReference.Parse("20250101T000000Z-ffffff", Today).Resolve(Runs)).Message, StringComparison.Ordinal);
        Assert.Contains("ambiguous", Assert.Throws<InventoryQueryException>(() => SnapshotReference.Parse("20260324T", Today).Resolve(Runs)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Since_counts_back_from_today() =>
        Assert.Equal(new DateOnly(2026, 1, 1), SnapshotReference.ParseSince("89d", Today));

    [Theory]
    [InlineData("2026-03-24T12:00Z", "20260324T060000Z-bbbbbb")]
    [InlineData("2026-03-24 06:00:00", "20260324T060000Z-bbbbbb")]
    [InlineData("2026-03-24T05:59:59Z", "20260301T060000Z-aaaaaa")]
    public void Reads_iso_times_and_calendar_months(string text, string expected)
    {
        var runs = Runs.Select(r => r with { ReportTime = DateTimeOffset.ParseExact(r.RunId[..16], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal) }).ToArray();
        Assert.Equal(expected, SnapshotReference.Parse(text, new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero)).Resolve(runs).RunId);
    }

    [Theory]
    [InlineData("2026-04-01", "in the future")]
    [InlineData("2026-03-31T13:00Z", "in the future")]
    [InlineData("1m", "m is ambiguous")]
    public void Refuses_the_future_and_an_ambiguous_m(string text, string message) =>
        Assert.Contains(message, Assert.Throws<InventoryQueryException>(() => SnapshotReference.Parse(text, new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero))).Message, StringComparison.Ordinal);
}

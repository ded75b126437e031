using CloudInventory.Server.Scheduling;

namespace CloudInventory.Tests.Server.Scheduling;

public sealed class CollectionScheduleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Five_fields_are_minutes_six_fields_start_with_seconds_and_macros_work()
    {
        Assert.Equal(Noon.AddMinutes(1), CollectionSchedule.Parse("* * * * *").NextAfter(Noon));
        Assert.Equal(Noon.AddSeconds(20), CollectionSchedule.Parse("*/20 * * * * *").NextAfter(Noon));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero), CollectionSchedule.Parse("@daily").NextAfter(Noon));
    }

    [Fact]
    public void The_expression_is_read_in_its_time_zone_across_daylight_saving_time()
    {
        var berlin = CollectionSchedule.Parse("0 6 * * *", "Europe/Berlin");
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 5, 0, 0, TimeSpan.Zero), berlin.NextAfter(Noon)); // CET = UTC+1
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 4, 0, 0, TimeSpan.Zero), berlin.NextAfter(new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero))); // CEST = UTC+2
        Assert.Equal(TimeZoneInfo.Utc, CollectionSchedule.Parse("0 6 * * *").TimeZone);
    }

    [Fact]
    public void Due_times_that_came_while_a_run_was_going_are_listed()
    {
        var schedule = CollectionSchedule.Parse("*/10 * * * *");
        Assert.Equal([Noon.AddMinutes(10), Noon.AddMinutes(20)], schedule.DueBetween(Noon, Noon.AddMinutes(25)));
        Assert.Empty(schedule.DueBetween(Noon, Noon.AddMinutes(9)));
    }

    [Fact]
    public void A_run_is_caught_up_at_start_when_a_due_time_passed_since_the_last_successful_run()
    {
        var daily = CollectionSchedule.Parse("0 6 * * *");
        Assert.True(daily.Missed(null, Noon)); // an empty store
        Assert.False(daily.Missed(Noon.AddHours(-6), Noon)); // today's 06:00 run
        Assert.True(daily.Missed(Noon.AddDays(-1).AddHours(-6), Noon)); // yesterday's: today's 06:00 was missed
        Assert.True(daily.Missed(Noon.AddDays(-5), Noon)); // many missed: still one run
    }

    [Fact]
    public void The_gaps_of_a_weekday_schedule_include_the_weekend()
    {
        var weekdays = CollectionSchedule.Parse("0 6 * * 1-5");
        Assert.Equal(TimeSpan.FromDays(3), weekdays.LongestGap(Noon));
        Assert.Equal(TimeSpan.FromDays(1), weekdays.ShortestGap(Noon));
    }

    [Theory]
    [InlineData("* * *", null, 0, "has 3 fields")]
    [InlineData("61 * * * *", null, 0, "is not a cron expression")]
    [InlineData("0 6 31 2 *", null, 0, "is never due")]
    [InlineData("0 6 * * *", "Mars/Olympus_Mons", 0, "is not a time zone")]
    [InlineData("*/5 * * * *", null, 300, "is not shorter than the shortest gap")]
    public void A_bad_expression_time_zone_or_jitter_says_what_is_wrong(string cron, string? zone, int jitterSeconds, string message)
    {
        var e = Assert.Throws<FormatException>(() => CollectionSchedule.Parse(cron, zone, TimeSpan.FromSeconds(jitterSeconds)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jitter_stays_below_its_bound()
    {
        var schedule = CollectionSchedule.Parse("0 * * * *", null, TimeSpan.FromMinutes(5));
        for (var i = 0; i < 100; i++) Assert.InRange(schedule.NextJitter(), TimeSpan.Zero, TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.Equal(TimeSpan.Zero, CollectionSchedule.Parse("0 * * * *").NextJitter());
    }
}

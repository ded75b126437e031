using CloudInventory.Text;

namespace CloudInventory.Tests.Text;

public sealed class AgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("90s", 90)]
    [InlineData("15min", 900)]
    [InlineData("6h", 21600)]
    [InlineData("2d", 172800)]
    [InlineData("1W", 604800)]
    public void Reads_every_unit_up_to_weeks(string text, long seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Age.Parse(text).Length(Now));

    [Fact]
    public void Months_and_years_are_calendar_months_and_years()
    {
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 12, 0, 0, TimeSpan.Zero), Age.Parse("1mo").Before(Now));
        Assert.Equal(new DateOnly(2025, 3, 31), Age.Parse("1y").Before(new DateOnly(2026, 3, 31)));
        Assert.Equal(new DateOnly(2026, 3, 24), Age.Parse("1w").Before(new DateOnly(2026, 3, 31)));
    }

    [Theory]
    [InlineData("6m")]
    [InlineData("30M")]
    public void Refuses_m_with_the_same_message_everywhere(string text) =>
        Assert.Contains("m is ambiguous (minutes or months)", Assert.Throws<FormatException>(() => Age.Parse(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("six hours")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("h")]
    [InlineData("99999999999y")]
    public void Refuses_what_is_not_a_duration(string text) =>
        Assert.False(Age.TryParse(text, out _, out _));
}

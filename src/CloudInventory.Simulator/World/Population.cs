namespace CloudInventory.Simulator.World;

/// <summary>
/// Which members of one kind of resource exist on a given day. A kind starts with a base count;
/// each day some are created and each lives an exponentially distributed time, so the count hovers
/// around the base and history carries real creations and terminations. Pure function of its key.
/// </summary>
internal static class Population
{
    /// <summary>Day 0 of the simulated history.</summary>
    public static readonly DateOnly Epoch = new(2025, 1, 1);

    /// <summary>A member alive on the asked day: its index and the day it was created.</summary>
    public readonly record struct Member(int Index, DateOnly Born);

    /// <summary>The members of a kind alive on <paramref name="date"/>.</summary>
    /// <param name="key">Identifies the kind in its account and region.</param>
    /// <param name="baseCount">The steady-state count.</param>
    /// <param name="churnPerDay">The share of the base created (and, on average, ended) per day; 0 for fixed infrastructure.</param>
    /// <param name="date">The day.</param>
    public static IEnumerable<Member> Alive(string key, int baseCount, double churnPerDay, DateOnly date)
    {
        var today = date.DayNumber - Epoch.DayNumber;
        for (var i = 0; i < baseCount; i++)
        {
            var born = -StableHash.Range($"{key}/{i}/born", 30, 900);
            if (churnPerDay <= 0 || today < born + Lifetime(key, i, churnPerDay)) yield return new Member(i, Epoch.AddDays(born));
        }
        if (churnPerDay <= 0 || today < 0) yield break;
        var perDay = baseCount * churnPerDay;
        var created = (int)Math.Floor((today + 1) * perDay);
        for (var j = 0; j < created; j++)
        {
            var bornDay = (int)Math.Floor(j / perDay);
            if (today >= bornDay + Lifetime(key, baseCount + j, churnPerDay)) continue;
            yield return new Member(baseCount + j, Epoch.AddDays(bornDay));
        }
    }

    private static double Lifetime(string key, int index, double churnPerDay)
    {
        var u = StableHash.Unit($"{key}/{index}/life");
        return -Math.Log(1 - u) / churnPerDay;
    }

    /// <summary>A value that changes now and then: picks among <paramref name="count"/> options, one per period of about <paramref name="meanDays"/> days.</summary>
    public static int Phase(string key, DateOnly born, DateOnly date, double meanDays, int count)
    {
        var period = Math.Max(1, (int)(meanDays * (0.5 + StableHash.Unit(key + "/period"))));
        var segment = Math.Max(0, date.DayNumber - born.DayNumber) / period;
        return segment == 0 ? 0 : StableHash.Range($"{key}/{segment}", 0, count);
    }
}

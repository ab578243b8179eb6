package main

// cassetteRows measures replay from a cassette of 10,000 interactions: its load time and
// the cost of matching one request, against a cassette of 10.
//
// The cassette machinery (internal/cassette, fixtures.Cassette) is being built on the
// recorder branch and is not on main yet; until it lands these rows say so.
func cassetteRows() []row {
	const why = "Cassette replay (internal/cassette) is not on main yet; the measurement is ready to plug in (bench/cassette.go)."
	return []row{
		skipped("Cassette of 10,000 interactions: load time", "—", why),
		skipped("Cassette match per request, 10,000 vs 10 interactions", "≤ 1.5×", ""),
	}
}

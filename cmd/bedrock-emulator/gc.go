package main

import "os"

// heapFloorBytes is how much live heap serve adds for the garbage collector to pace itself
// by (heapFloor).
const heapFloorBytes = 16 << 20

// heapFloor returns memory that the garbage collector counts as live heap but that the
// process never touches: serve keeps it until it returns.
//
// The collector runs each time the heap has grown by GOGC percent (100) of what was live
// after its last run. serve's live heap is about 4 MiB and every request allocates some
// KiB, so under the bench's Converse load it ran every 35–40 ms; with the extra 16 MiB,
// every 150–180 ms (GODEBUG=gctrace=1). Measured (bench/README.md, "A floor under the
// heap"): served Converse 1.08–1.10× the requests a second, streams 1.00–1.03×.
//
// Being a []byte, the floor holds no pointers for the collector to scan; being never
// written, it is never backed by memory, so the idle resident size does not change
// (TestHeapFloor checks that on the machine it runs on; on Windows the floor is committed
// memory, though still not resident). Under load the heap grows to about twice the floor
// before each run: resident size under the bench's Converse load 27 → 44 MiB.
//
// gopls keeps such a floor for the same reason: a process on developers' machines whose
// memory use varies with its inputs (here, cassettes and the journal), for which no
// GOMEMLIMIT is right
// (https://go.googlesource.com/tools/+/826d8d971ba83b67debbade83c6417af2d904bab).
// GOGC or GOMEMLIMIT in the environment turns the floor off: they pace the collector as
// the user set them.
func heapFloor() []byte {
	if _, ok := os.LookupEnv("GOGC"); ok {
		return nil
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		return nil
	}
	return make([]byte, heapFloorBytes)
}

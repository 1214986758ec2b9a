#pragma once
// Text of the import progress display: a bar with bytes/s and ETA redrawn in
// place on a terminal, or plain lines at fixed percentage steps otherwise
// (logs, CI), so many-GB imports show they are alive either way.
#include <cstdint>
#include <string>

namespace cellar::registry {

// "[=========>          ]  45%  1.2 GiB / 2.7 GiB  350.0 MiB/s  ETA 0:04"
std::string format_progress_bar(uint64_t done, uint64_t total, double elapsed_s, int width = 30);
// "hashing: 40% (1.1 GiB of 2.7 GiB)"
std::string format_progress_line(uint64_t done, uint64_t total);
// "1:02:03" / "4:05"
std::string format_duration(double seconds);

}  // namespace cellar::registry

#!/usr/bin/env python3
"""Baseline for strikemap's load benchmark: read an ACLED CSV with polars (or pandas) and parse
its event_date column ("15 March 2024") to dates.

    python3 benches/polars_baseline.py FILE.csv            # polars
    python3 benches/polars_baseline.py --pandas FILE.csv   # pandas, if installed

Prints one JSON line:
    {"tool":"polars","version":"2.1.0","rows":1000000,"seconds":1.234,"peak_rss_mb":2345.6}

`seconds` is the wall time of read + date parsing only (not the import of the library);
`peak_rss_mb` is the process's peak resident set size (getrusage ru_maxrss), so it includes the
interpreter and the library. Without polars the script fails (exit 1, reason on stderr), which
`strikemap bench` reports as "not run"; without pandas, `--pandas` prints a "skipped" line
and exits 0.
"""

import argparse
import json
import resource
import sys
import time


def peak_rss_mb() -> float:
    """Peak RSS of this process in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        return peak / (1024 * 1024)
    return peak / 1024


def run_polars(path: str) -> dict:
    try:
        import polars as pl
    except ImportError:
        print("polars is not installed (pip install polars)", file=sys.stderr)
        sys.exit(1)
    start = time.perf_counter()
    df = pl.read_csv(path, infer_schema_length=10_000)
    df = df.with_columns(pl.col("event_date").str.to_date("%d %B %Y"))
    seconds = time.perf_counter() - start
    nulls = df["event_date"].null_count()
    if nulls:
        print(f"warning: {nulls} event_date values did not parse", file=sys.stderr)
    return {
        "tool": "polars",
        "version": pl.__version__,
        "rows": df.height,
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def run_pandas(path: str) -> dict:
    try:
        import pandas as pd
    except ImportError:
        return {"tool": "pandas", "skipped": "pandas is not installed"}
    start = time.perf_counter()
    df = pd.read_csv(path)
    df["event_date"] = pd.to_datetime(df["event_date"], format="%d %B %Y").dt.date
    seconds = time.perf_counter() - start
    return {
        "tool": "pandas",
        "version": pd.__version__,
        "rows": len(df),
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="ACLED CSV export (e.g. from `strikemap generate`)")
    parser.add_argument("--pandas", action="store_true", help="use pandas instead of polars")
    args = parser.parse_args()
    result = run_pandas(args.file) if args.pandas else run_polars(args.file)
    print(json.dumps(result, separators=(",", ":")))


if __name__ == "__main__":
    main()

"""Benchmark of the curator queries at national scale: loads N synthetic results (default 1,000,000) into a
fresh schema, then times the pass-rate-by-district query (p95) and one exam's item statistics, each beside a
baseline measured in the same run on the same table (a bare count(*) over the results), printed as ratios.

    python -m gramota.scoring.bench --database-url postgresql://... [--results 1000000]

Figures, not assertions: machines differ; the targets (p95 < 200 ms, item statistics < 10 s) are printed.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid

from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.shared import db

from . import analytics, synthetic


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


async def timed(make, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        await make()
        samples.append(time.perf_counter() - t)
    return samples


async def run(database_url: str, results: int, runs: int) -> None:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    t = time.monotonic()
    exams = await synthetic.load(database_url, schema, results)
    print(f"loaded {results:,} results over {len(synthetic.DISTRICTS)} districts and "
          f"{sum(map(len, synthetic.DISTRICTS.values()))} regions in {time.monotonic() - t:.0f}s")
    pool = await db.create_pool(database_url, schema, max_size=2)
    try:
        everything = pb.Scope(unrestricted=True)
        by_district = pb.GetPassRatesRequest(group_by=pb.GROUP_BY_FEDERAL_DISTRICT, scope=everything)
        by_region_one_exam = pb.GetPassRatesRequest(group_by=pb.GROUP_BY_REGION, scope=everything,
                                                    filter=pb.ResultFilter(exam_id=str(exams[0]), from_date="2000-01-01"))
        items = pb.GetItemStatisticsRequest(exam_id=str(exams[0]), scope=everything)
        await analytics.pass_rates(pool, by_district)  # warm the plan cache and the buffers alike for all
        await pool.fetchval("SELECT count(*) FROM results")

        baseline = await timed(lambda: pool.fetchval("SELECT count(*) FROM results"), runs)
        district = await timed(lambda: analytics.pass_rates(pool, by_district), runs)
        region = await timed(lambda: analytics.pass_rates(pool, by_region_one_exam), runs)
        item_runs = await timed(lambda: analytics.item_statistics(pool, items), 3)
        exam_results = await pool.fetchval("SELECT count(*) FROM results WHERE exam_id = $1", exams[0])

        base = p95(baseline)
        print(f"\nbaseline  SELECT count(*) FROM results ({results:,} rows): p95 {1000 * base:8.1f} ms")
        print(f"pass rate by district (all exams):      p95 {1000 * p95(district):8.1f} ms  "
              f"= {p95(district) / base:6.3f} × baseline   (target < 200 ms)")
        print(f"pass rate by region (one exam, period): p95 {1000 * p95(region):8.1f} ms  "
              f"= {p95(region) / base:6.3f} × baseline")
        median_items = statistics.median(item_runs)
        print(f"item statistics, one exam ({exam_results:,} results × 20 items): median {median_items:6.2f} s  "
              f"= {median_items / base:6.1f} × baseline   (target < 10 s)")
    finally:
        await pool.close()
        conn = await db.create_pool(database_url, "public", max_size=1)
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')  # name made above, not input
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gramota.scoring.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--results", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    asyncio.run(run(args.database_url, args.results, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Every table of BENCHMARKS.md, one run after another (never overlapping:
# the 2 cores are shared). Generates the province databases afresh; the
# national ones (minutes to generate) must exist already, made by the same
# version of `dienhinh gen` (the harness signs in as the generated users of
# every level: canbo.tccs, btg.khoi, btg.tinh, btg.trunguong), see
# BENCHMARKS.md. About 160 rows per table: ~14 minutes each at 5 s a row.
#   crates/bench/all.sh [OUT_DIR]    (default /tmp/dienhinh-bench)
# Environment: CARGO_TARGET_DIR (default target), NAT_DATA (/tmp/nat),
# PROV_DATA (/tmp/prov), PG (postgres://postgres@127.0.0.1:5432),
# BENCH_SECONDS (5, per route), and the
# PostgreSQL databases dh_nat (existing) and dh_prov (recreated).
set -euo pipefail
out="${1:-/tmp/dienhinh-bench}"
mkdir -p "$out"
bin="${CARGO_TARGET_DIR:-target}/release"
nat="${NAT_DATA:-/tmp/nat}" prov="${PROV_DATA:-/tmp/prov}" pg="${PG:-postgres://postgres@127.0.0.1:5432}"
bench() { "$bin/dienhinh-bench" --bin "$bin/dienhinh" --clients 16 --seconds "${BENCH_SECONDS:-5}" "$@"; }
bench --data "$nat" > "$out/national-sqlite.md"
bench --database-url "$pg/dh_nat" > "$out/national-postgres.md"
rm -rf "$prov"
"$bin/dienhinh" gen --scale province --seed 1 --data "$prov" > "$out/gen-province-sqlite.txt"
bench --data "$prov" > "$out/province-sqlite.md"
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS dh_prov" -c "CREATE DATABASE dh_prov"
"$bin/dienhinh" gen --scale province --seed 1 --database-url "$pg/dh_prov" > "$out/gen-province-postgres.txt"
bench --database-url "$pg/dh_prov" > "$out/province-postgres.md"
echo "tables in $out"
